import { describe, expect, it } from 'vitest';

import { DEFAULT_THRESHOLDS } from '../../../shared/domain/thresholds';
import { DEFAULT_VEHICLE_PROFILE, type Unit, type VehicleProfile } from '../../../shared/domain/unit';
import type { SweepContext } from '../../../electron/core/diagnostics/checkModule';
import { logsModule, logsProbes } from '../../../electron/core/diagnostics/modules/logsModule';
import { isConfigError, isErrorText, parseJournalJson } from '../../../electron/core/diagnostics/modules/logsJournal';
import type { ProbeOutput } from '../../../electron/core/transport/batch';

const NOW_US = 1_764_345_600_000_000;

function unit(profile: Partial<VehicleProfile> = {}): Unit {
  return {
    name: 'oht-7',
    host: '10.0.0.7',
    port: 22,
    user: 'tech',
    auth: { kind: 'key', keyPath: '/keys/id' },
    profile: { ...DEFAULT_VEHICLE_PROFILE, ...profile },
    hostKey: null,
    createdAt: '2026-01-01T00:00:00.000Z',
    lastLevel: null,
    lastRunAt: null,
  };
}

function context(profile: Partial<VehicleProfile> = {}): SweepContext {
  const u = unit(profile);
  return { unit: u, profile: u.profile, thresholds: DEFAULT_THRESHOLDS, sentAtMs: 0, receivedAtMs: 0 };
}

let seq = 0;
/** One line of `journalctl -o json --output-fields=PRIORITY,MESSAGE,SYSLOG_IDENTIFIER,_PID`, as systemd prints it. */
function entry(priority: number, message: string | number[], identifier = 'uvicorn', cursor?: string): string {
  seq += 1;
  return JSON.stringify({
    __CURSOR: cursor ?? `s=8f0c;i=${seq.toString(16)};b=1e2d;m=1a2b;t=5f3c;x=${seq}`,
    __REALTIME_TIMESTAMP: String(NOW_US + seq * 1_000_000),
    __MONOTONIC_TIMESTAMP: '7192003000',
    _BOOT_ID: '1e2d3c4b5a6978877665544332211000',
    PRIORITY: String(priority),
    SYSLOG_IDENTIFIER: identifier,
    _PID: '812',
    MESSAGE: message,
  });
}

const output = (key: string, stdout: string, exitCode: number | null = 0, truncated = false): ProbeOutput => ({
  key,
  stdout,
  exitCode,
  truncated,
});

/** Outputs of the four probes; the text queries default to "nothing matched" (journalctl --grep exits 1). */
function outputs(parts: {
  backendPriority?: ProbeOutput;
  backendText?: ProbeOutput;
  firmwarePriority?: ProbeOutput;
  firmwareText?: ProbeOutput;
}): Map<string, ProbeOutput> {
  const all = [
    parts.backendPriority ?? output('logs.backend.priority', ''),
    parts.backendText ?? output('logs.backend.text', '', 1),
    parts.firmwarePriority ?? output('logs.firmware.priority', ''),
    parts.firmwareText ?? output('logs.firmware.text', '', 1),
  ];
  return new Map(all.map((o) => [o.key, o]));
}

const judge = (o: Map<string, ProbeOutput>, profile: Partial<VehicleProfile> = {}) => {
  const [backend, firmware] = logsModule.judge(context(profile), o);
  if (!backend || !firmware) {
    throw new Error('logs module must report both checks');
  }
  return { backend, firmware };
};

describe('logs probes', () => {
  it('ask journalctl as root first and as the login user after, by priority and by text, over the window', () => {
    const probes = logsProbes({ ...DEFAULT_VEHICLE_PROFILE, detected: true }, 60);
    expect(probes.map((p) => p.key)).toEqual([
      'logs.backend.priority',
      'logs.backend.text',
      'logs.firmware.priority',
      'logs.firmware.text',
    ]);
    const [byPriority, byText] = probes;
    expect(byPriority?.command).toBe(
      'sudo -n journalctl -u oht50-backend --since=-60min -p warning -n 200 -o json --output-fields=PRIORITY,MESSAGE,SYSLOG_IDENTIFIER,_PID --no-pager' +
        ' || journalctl -u oht50-backend --since=-60min -p warning -n 200 -o json --output-fields=PRIORITY,MESSAGE,SYSLOG_IDENTIFIER,_PID --no-pager',
    );
    expect(byText?.command).toContain("'--grep=error|exception|fatal|critical|panic|dumped' -n 50");
    expect(probes.every((p) => !/[|]\s*(grep|awk|sed)|\$\(|`/.test(p.command))).toBe(true);
    expect(probes.every((p) => (p.timeoutS ?? 0) <= 5)).toBe(true);
  });

  it('read both firmware unit names until the build is known, then only the detected one', () => {
    const before = logsProbes(DEFAULT_VEHICLE_PROFILE, 60).find((p) => p.key === 'logs.firmware.priority');
    expect(before?.command).toContain('-u oht50-firmware -u oht50 ');
    const after = logsProbes(
      { ...DEFAULT_VEHICLE_PROFILE, variant: 'newer', firmwareService: 'oht50', detected: true },
      30,
    ).find((p) => p.key === 'logs.firmware.priority');
    expect(after?.command).toContain('journalctl -u oht50 --since=-30min');
    expect(after?.command).not.toContain('oht50-firmware');
  });
});

describe('judging a service journal', () => {
  it('is OK when nothing was logged at warning or above and no line reads as an error', () => {
    const { backend, firmware } = judge(outputs({}));
    expect(backend).toMatchObject({ id: 'logs.backend', level: 'OK' });
    expect(backend.message).toBe('oht50-backend: no errors or warnings in the last 60 min');
    expect(backend.evidence).toContain('$ sudo -n journalctl -u oht50-backend');
    expect(backend.evidence).toContain('(no entries)');
    expect(firmware).toMatchObject({ id: 'logs.firmware', level: 'OK' });
  });

  it('names a configuration error that the service printed at priority info, with the runbook section', () => {
    const failed = entry(4, "oht50-backend.service: Failed with result 'exit-code'.", 'systemd');
    const validation = entry(6, 'pydantic_core._pydantic_core.ValidationError: 1 validation error for Settings');
    const { backend } = judge(
      outputs({
        backendPriority: output('logs.backend.priority', `${failed}\n`),
        backendText: output('logs.backend.text', `${validation}\n`),
      }),
    );
    expect(backend.level).toBe('WARN');
    expect(backend.message).toBe(
      'oht50-backend: 1 error and 1 warning in the last 60 min; configuration error: pydantic_core._pydantic_core.ValidationError: 1 validation error for Settings',
    );
    expect(backend.runbook).toBe("Troubleshooting › 1. Service Won't Start");
    expect(backend.evidence).toMatch(/ info uvicorn\[812\]: pydantic_core\._pydantic_core\.ValidationError/);
    expect(backend.evidence).toMatch(/ warning systemd\[812\]: oht50-backend\.service: Failed with result/);
  });

  it('is ERROR at the critical count, with the last error and the alert actions', () => {
    const lines = Array.from({ length: 21 }, (_, i) =>
      entry(3, `[ERROR] RS485 timeout on module 0x0${(i % 4) + 2}`, 'oht50_main'),
    );
    const { firmware } = judge(outputs({ firmwarePriority: output('logs.firmware.priority', lines.join('\n')) }));
    expect(firmware.level).toBe('ERROR');
    expect(firmware.message).toMatch(
      /^oht50-firmware: 21 errors and 0 warnings in the last 60 min; last: \[ERROR\] RS485 timeout on module 0x02$/,
    );
    expect(firmware.runbook).toBe('Monitoring & Alerts › 3. Alert Actions');
    expect(firmware.evidence).toContain('… 1 earlier entries not shown');
  });

  it('counts an entry found by both queries once', () => {
    const line = entry(3, 'sqlite3.OperationalError: database is locked', 'uvicorn', 's=same;i=1');
    const { backend } = judge(
      outputs({
        backendPriority: output('logs.backend.priority', line),
        backendText: output('logs.backend.text', line),
      }),
    );
    expect(backend.message).toMatch(/^oht50-backend: 1 error and 0 warnings/);
  });

  it('reports warnings alone as OK, with their count', () => {
    const lines = [
      entry(4, "oht50-backend.service: Failed with result 'exit-code'.", 'systemd'),
      entry(6, 'WARNING: slow query (812 ms)'),
    ];
    const { backend } = judge(
      outputs({
        backendPriority: output('logs.backend.priority', lines[0] ?? ''),
        backendText: output('logs.backend.text', lines[1] ?? ''),
      }),
    );
    // The text query only brings lines that match its pattern; a WARNING line it found still counts as a warning.
    expect(backend).toMatchObject({
      level: 'OK',
      message: 'oht50-backend: 0 errors and 2 warnings in the last 60 min',
    });
  });

  it('says "+" when the query hit its limit', () => {
    const lines = Array.from({ length: 200 }, () => entry(4, 'slow response'));
    const { backend } = judge(outputs({ backendPriority: output('logs.backend.priority', lines.join('\n')) }));
    expect(backend.message).toMatch(/0\+ errors and 200\+ warnings/);
  });

  it('decodes a message journald stored as bytes', () => {
    const bytes = [...Buffer.from('[ERROR] bad frame \u00b5s', 'utf8')];
    const { firmware } = judge(
      outputs({ firmwarePriority: output('logs.firmware.priority', entry(3, bytes, 'oht50_main')) }),
    );
    expect(firmware.message).toContain('last: [ERROR] bad frame µs');
  });
});

describe('a journal that cannot be read', () => {
  it('is STALE when journalctl is missing', () => {
    const { backend } = judge(
      outputs({
        backendPriority: output(
          'logs.backend.priority',
          'sudo: journalctl: command not found\nsh: 1: journalctl: not found',
          127,
        ),
      }),
    );
    expect(backend.level).toBe('STALE');
    expect(backend.message).toBe(
      'oht50-backend: the journal could not be read: a tool is missing on the vehicle (sudo: journalctl: command not found)',
    );
  });

  it('is STALE when the query hangs or the answer is cut off', () => {
    expect(judge(outputs({ backendPriority: output('logs.backend.priority', '', 124) })).backend.message).toContain(
      'timed out',
    );
    const half = entry(3, 'x').slice(0, 40);
    const { backend } = judge(outputs({ backendPriority: output('logs.backend.priority', half, null, true) }));
    expect(backend).toMatchObject({ level: 'STALE', message: expect.stringContaining('cut off') });
  });

  it('is STALE on garbage', () => {
    const { backend } = judge(
      outputs({ backendPriority: output('logs.backend.priority', '<html><body>502 Bad Gateway</body></html>') }),
    );
    expect(backend.level).toBe('STALE');
    expect(backend.message).toContain('journalctl did not answer with entries: <html>');
    expect(backend.evidence).toContain('502 Bad Gateway');
  });

  it('is STALE with the reason when sudo is refused and the login user may not read the journal', () => {
    const answer = [
      'sudo: a password is required',
      'Hint: You are currently not seeing messages from other users and the system.',
      "      Users in groups 'adm', 'systemd-journal' can see all messages.",
      '      Pass -q to turn off this notice.',
    ].join('\n');
    const { backend } = judge(outputs({ backendPriority: output('logs.backend.priority', answer) }));
    expect(backend.level).toBe('STALE');
    expect(backend.message).toContain('may not read the system journal');
  });

  it('ignores the fallback hint when sudo ran journalctl and nothing matched', () => {
    const hint = [
      'Hint: You are currently not seeing messages from other users and the system.',
      "      Users in groups 'adm', 'systemd-journal' can see all messages.",
      '      Pass -q to turn off this notice.',
    ].join('\n');
    const { backend } = judge(outputs({ backendText: output('logs.backend.text', hint, 1) }));
    expect(backend).toMatchObject({ level: 'OK', message: 'oht50-backend: no errors or warnings in the last 60 min' });
  });

  it('judges by priority alone when the text search is not available, and says so', () => {
    const { backend } = judge(
      outputs({
        backendText: output(
          'logs.backend.text',
          'Compiled without pattern matching support\nCompiled without pattern matching support',
          1,
        ),
      }),
    );
    expect(backend.level).toBe('OK');
    expect(backend.message).toContain(
      '(error lines by text not searched: journalctl did not answer with entries: Compiled without pattern matching support)',
    );
  });

  it('keeps the entries of a partly mangled answer and notes the rest', () => {
    const good = entry(3, 'ZeroDivisionError: division by zero');
    const { backend } = judge(
      outputs({ backendPriority: output('logs.backend.priority', `${good}\n{"__CURSOR":"s=`) }),
    );
    expect(backend.level).toBe('WARN');
    expect(backend.evidence).toContain('(1 lines did not parse)');
  });

  it('never throws on missing outputs', () => {
    const checks = logsModule.judge(context(), new Map());
    expect(checks.map((c) => [c.id, c.level])).toEqual([
      ['logs.backend', 'STALE'],
      ['logs.firmware', 'STALE'],
    ]);
  });
});

describe('journal line helpers', () => {
  it('tell errors by their text', () => {
    expect(isErrorText('ERROR:    Exception in ASGI application')).toBe(true);
    expect(isErrorText('[ERROR] Failed to load /etc/oht50/modules.yaml')).toBe(true);
    expect(isErrorText('OSError: [Errno 98] Address already in use')).toBe(true);
    expect(isErrorText('oht50.service: Main process exited, code=dumped, status=11/SEGV')).toBe(true);
    expect(isErrorText('error: cannot open /dev/ttyOHT485')).toBe(true);
    expect(isErrorText('INFO: scan finished, 0 errors')).toBe(false);
    expect(isErrorText('Traceback (most recent call last):')).toBe(false);
  });

  it('tell configuration errors', () => {
    expect(isConfigError('pydantic_core._pydantic_core.ValidationError: 1 validation error for Settings')).toBe(true);
    expect(isConfigError('yaml.scanner.ScannerError: mapping values are not allowed here')).toBe(true);
    expect(isConfigError('[ERROR] Failed to load /etc/oht50/modules.yaml: line 14')).toBe(true);
    expect(isConfigError('[ERROR] RS485 timeout on module 0x03')).toBe(false);
  });

  it('parse entries and keep everything else aside', () => {
    const answer = parseJournalJson(`-- No entries --\n${entry(6, 'hello')}\nnot json\n{broken`);
    expect(answer.entries).toHaveLength(1);
    expect(answer.entries[0]).toMatchObject({ priority: 6, identifier: 'uvicorn', pid: '812', message: 'hello' });
    expect(answer.otherLines).toEqual(['not json']);
    expect(answer.badLines).toBe(1);
  });
});
