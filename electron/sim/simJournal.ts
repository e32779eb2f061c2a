import { randomBytes } from 'node:crypto';

/**
 * The systemd journal of a simulated vehicle: what each unit's processes printed and what systemd said about them.
 * As on a vehicle, a service's stdout and stderr land at priority info whatever they say (a Python traceback
 * included); only systemd's own lines about a unit carry notice, warning or err.
 */

export const PRIORITY = { emerg: 0, alert: 1, crit: 2, err: 3, warning: 4, notice: 5, info: 6, debug: 7 } as const;

export type SimJournalEntry = {
  /** Increasing per vehicle: the cursor's sequence number. */
  seq: number;
  /** The vehicle's epoch ms. */
  atMs: number;
  /** Full unit name the entry belongs to (_SYSTEMD_UNIT for its processes, UNIT for systemd's lines about it). */
  unit: string;
  priority: number;
  identifier: string;
  pid: number;
  message: string;
};

export type SimJournalState = {
  bootId: string;
  entries: SimJournalEntry[];
  nextSeq: number;
  /** Whether the login user may read the system journal (member of adm or systemd-journal); root always may. */
  loginUserCanRead: boolean;
};

export type SimJournalLine = { priority?: number; identifier: string; pid: number; message: string };

export function defaultJournal(): SimJournalState {
  return { bootId: randomBytes(16).toString('hex'), entries: [], nextSeq: 1, loginUserCanRead: false };
}

/** Appends lines in order at `atMs`; journald splits a multi-line write into one entry per line, so do we. */
export function appendJournal(
  journal: SimJournalState,
  unit: string,
  atMs: number,
  lines: readonly SimJournalLine[],
): void {
  for (const line of lines) {
    for (const message of line.message.split('\n')) {
      journal.entries.push({
        seq: journal.nextSeq++,
        atMs,
        unit,
        priority: line.priority ?? PRIORITY.info,
        identifier: line.identifier,
        pid: line.pid,
        message,
      });
    }
  }
}

/** What systemd (PID 1) logs about a unit. */
export function systemdLine(message: string, priority: number = PRIORITY.info): SimJournalLine {
  return { priority, identifier: 'systemd', pid: 1, message };
}

const EXIT_NAMES: Record<number, string> = { 1: 'FAILURE', 2: 'INVALIDARGUMENT', 6: 'NOTCONFIGURED' };

/** systemd's lines when a service's main process exits with `status` (Restart=always brings it back). */
export function exitLines(unit: string, status: number): SimJournalLine[] {
  const name = EXIT_NAMES[status];
  return [
    systemdLine(
      `${unit}: Main process exited, code=exited, status=${status}/${name ?? String(status)}`,
      PRIORITY.notice,
    ),
    systemdLine(`${unit}: Failed with result 'exit-code'.`, PRIORITY.warning),
  ];
}

/** What a service prints when it comes up normally, per process name. */
export function startupLines(processName: string, pid: number, httpPort: number): SimJournalLine[] {
  const line = (message: string): SimJournalLine => ({ identifier: processName, pid, message });
  if (processName === 'uvicorn') {
    return [
      line(`INFO:     Started server process [${pid}]`),
      line('INFO:     Waiting for application startup.'),
      line('INFO:     Application startup complete.'),
      line(`INFO:     Uvicorn running on http://0.0.0.0:${httpPort} (Press CTRL+C to quit)`),
    ];
  }
  return [
    line('[INFO] OHT-50 Master Control Firmware starting'),
    line('[INFO] LED system initialized'),
    line('[INFO] E-Stop safety system initialized (gpio59, active-low)'),
    line('[INFO] RS485 device opened successfully: /dev/ttyOHT485 @ 115200 8N1'),
    line('[INFO] Starting scan range 0x02-0x05'),
    line(`[INFO] API Manager started on port ${httpPort}`),
    line('[INFO] System state = IDLE'),
  ];
}

/**
 * What a service prints when its configuration does not load: the backend's pydantic settings reject a value from
 * /opt/oht50/backend/.env, the firmware cannot parse /etc/oht50/modules.yaml. Returns the lines and the one line
 * that names the cause.
 */
export function configErrorLines(processName: string, pid: number): { lines: SimJournalLine[]; cause: string } {
  const line = (message: string): SimJournalLine => ({ identifier: processName, pid, message });
  if (processName === 'uvicorn') {
    const cause = 'pydantic_core._pydantic_core.ValidationError: 1 validation error for Settings';
    return {
      cause,
      lines: [
        line('Traceback (most recent call last):'),
        line('  File "/opt/oht50/venv/bin/uvicorn", line 8, in <module>'),
        line('    sys.exit(main())'),
        line('  File "/opt/oht50/backend/app/config.py", line 61, in <module>'),
        line('    settings = Settings()'),
        line(cause),
        line('JWT_EXPIRY'),
        line(
          "  Input should be a valid integer, unable to parse string as an integer [type=int_parsing, input_value='30m', input_type=str]",
        ),
      ],
    };
  }
  const cause =
    '[ERROR] Failed to load /etc/oht50/modules.yaml: line 14, column 9: mapping values are not allowed here';
  return {
    cause,
    lines: [
      line('[INFO] OHT-50 Master Control Firmware starting'),
      line('[INFO] Loading module registry from /etc/oht50/modules.yaml'),
      line(cause),
      line('[FATAL] Configuration invalid, exiting'),
    ],
  };
}

/** The cursor journalctl prints for an entry: opaque to readers, unique per entry. */
export function cursorOf(journal: SimJournalState, entry: SimJournalEntry, monotonicUs: number): string {
  const hex = (n: number): string => Math.max(0, Math.floor(n)).toString(16);
  return `s=${journal.bootId};i=${hex(entry.seq)};b=${journal.bootId};m=${hex(monotonicUs)};t=${hex(entry.atMs * 1000)};x=${hex(entry.seq * 2654435761)}`;
}
