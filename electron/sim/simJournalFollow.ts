import type { ServerChannel } from 'ssh2';

import { normalizeUnit } from './programs/unitProperties';
import { appendJournal, cursorOf, PRIORITY, type SimJournalEntry, type SimJournalLine } from './simJournal';
import type { SimVehicle } from './SimVehicle';

/*
 * `journalctl --follow` on a simulated vehicle, for the Logs tab and `ohtw logs --follow`: the last lines of the
 * units asked for, then every entry appended to the journal, as JSON. While someone follows, the services go on
 * talking (an access line, a poll cycle, about once a second each), so a live view has something to show; a trainer
 * or a benchmark can make a unit flood its journal (setJournalFlood).
 */

const TICK_MS = 50;
const PRIORITY_BY_NAME: Record<string, number> = PRIORITY;

export type JournalFlood = {
  linesPerSecond: number;
  /** Lines in all; the flood stops after them (none: until it is switched off). */
  total?: number;
  /** The unit it floods (the firmware service unless told). */
  unit?: string;
};

const floods = new WeakMap<SimVehicle, { flood: JournalFlood; sent: number; startedAtMs: number | null }>();

/** Makes the vehicle's journal flood while followed (null stops it). */
export function setJournalFlood(vehicle: SimVehicle, flood: JournalFlood | null): void {
  if (flood === null) {
    floods.delete(vehicle);
  } else {
    floods.set(vehicle, { flood, sent: 0, startedAtMs: null });
  }
}

/** Whether the command follows the journal: the workstation's log follow, or anyone's `journalctl -f`. */
export function isJournalFollow(command: string): boolean {
  // Judged per simple command: a sweep's script runs journalctl in one and `test -f` in another.
  return command
    .split(/[;&|\n]+/)
    .some((part) => /\bjournalctl\b/.test(part) && /(^|\s)(--follow|-f)(?=\s|$)/.test(part));
}

type FollowOptions = { units: string[]; maxPriority: number; lines: number };

/** The options of the first `journalctl … --follow` in the command (the workstation's sudo fallback names it twice). */
export function parseFollow(command: string): FollowOptions {
  const words =
    (command.slice(command.search(/\bjournalctl\b/)).split(/;|\|\||&&/)[0] ?? '')
      .match(/'[^']*'|\S+/g)
      ?.map((word) => word.replace(/^'(.*)'$/, '$1')) ?? [];
  const options: FollowOptions = { units: [], maxPriority: 7, lines: 10 };
  for (let i = 1; i < words.length; i += 1) {
    const word = words[i] ?? '';
    const value = words[i + 1] ?? '';
    if (word === '-u' || word === '--unit') {
      options.units.push(normalizeUnit(value));
      i += 1;
    } else if (word === '-p' || word === '--priority') {
      options.maxPriority = /^\d$/.test(value) ? Number(value) : (PRIORITY_BY_NAME[value] ?? 7);
      i += 1;
    } else if (word === '-n' || word === '--lines') {
      options.lines = /^\d+$/.test(value) ? Number(value) : 10;
      i += 1;
    }
  }
  return options;
}

function render(vehicle: SimVehicle, entry: SimJournalEntry): string {
  const monotonicUs = Math.max(0, (entry.atMs - vehicle.state.system.bootedAtMs) * 1000);
  const isSystemd = entry.identifier === 'systemd';
  return JSON.stringify({
    __CURSOR: cursorOf(vehicle.state.journal, entry, monotonicUs),
    __REALTIME_TIMESTAMP: String(entry.atMs * 1000),
    PRIORITY: String(entry.priority),
    SYSLOG_IDENTIFIER: entry.identifier,
    _PID: String(entry.pid),
    _SYSTEMD_UNIT: isSystemd ? 'init.scope' : entry.unit,
    ...(isSystemd ? { UNIT: entry.unit } : {}),
    MESSAGE: entry.message,
  });
}

/** When each vehicle's services last said something: once a second, however many follow them. */
const lastChatter = new WeakMap<SimVehicle, { atMs: number; count: number }>();

/** What the services say while they run: one line each about every second. */
function chatter(vehicle: SimVehicle, nowMs: number): { unit: string; line: SimJournalLine }[] {
  const last = lastChatter.get(vehicle) ?? { atMs: 0, count: 0 };
  if (nowMs - last.atMs < 1000) {
    return [];
  }
  const tick = last.count + 1;
  lastChatter.set(vehicle, { atMs: nowMs, count: tick });
  const { backend, firmware } = vehicle.state.services;
  const lines: { unit: string; line: SimJournalLine }[] = [];
  if (backend.activeState === 'active') {
    lines.push({
      unit: backend.unit,
      line: {
        identifier: backend.processName,
        pid: backend.mainPid,
        message: `INFO:     127.0.0.1:${40000 + (tick % 20000)} - "GET /api/v1/health HTTP/1.1" 200 OK`,
      },
    });
  }
  if (firmware.activeState === 'active') {
    lines.push({
      unit: firmware.unit,
      line: {
        identifier: firmware.processName,
        pid: firmware.mainPid,
        message: `[INFO] RS485 poll cycle ${tick}: ${vehicle.state.rs485.modules.filter((m) => m.online).length} modules online`,
      },
    });
  }
  return lines;
}

/** The flood's lines due by now: it starts with the first follow that sees it, and keeps its rate across follows. */
function floodLines(vehicle: SimVehicle, nowMs: number): { unit: string; line: SimJournalLine }[] {
  const state = floods.get(vehicle);
  if (!state) {
    return [];
  }
  const { flood } = state;
  state.startedAtMs ??= nowMs;
  const due = Math.floor(((nowMs - state.startedAtMs) * flood.linesPerSecond) / 1000) - state.sent;
  const count = Math.max(0, Math.min(due, flood.total === undefined ? due : flood.total - state.sent));
  const firmware = vehicle.state.services.firmware;
  const unit = flood.unit ?? firmware.unit;
  const lines = Array.from({ length: count }, (_, i) => ({
    unit,
    line: {
      priority: (state.sent + i) % 50 === 0 ? PRIORITY.warning : PRIORITY.debug,
      identifier: firmware.processName,
      pid: firmware.mainPid,
      message: `[DEBUG] RS485 frame ${state.sent + i}: slave 0x02 FC03 0x0100 ok in 4 ms`,
    },
  }));
  state.sent += count;
  return lines;
}

/** Serves one `journalctl --follow` on the channel until the workstation closes it. */
export function followSimJournal(channel: ServerChannel, vehicle: SimVehicle, command: string): void {
  const options = parseFollow(command);
  const journal = vehicle.state.journal;
  const wanted = (entry: SimJournalEntry): boolean =>
    (options.units.length === 0 || options.units.includes(entry.unit)) && entry.priority <= options.maxPriority;
  const backlog = journal.entries.filter(wanted).slice(-options.lines);
  let lastSeq = journal.nextSeq - 1;
  let isHeldBack = false;

  const send = (): void => {
    const fresh = journal.entries.filter((entry) => entry.seq > lastSeq);
    let text = '';
    for (const entry of fresh) {
      lastSeq = entry.seq;
      if (wanted(entry)) {
        text += `${render(vehicle, entry)}\n`;
      }
    }
    // A reader that stopped reading holds journalctl back, as a full pipe does on the vehicle.
    if (text !== '' && !channel.write(text)) {
      isHeldBack = true;
    }
  };
  channel.on('drain', () => {
    isHeldBack = false;
  });
  channel.write(backlog.map((entry) => `${render(vehicle, entry)}\n`).join(''));
  const timer = setInterval(() => {
    const nowMs = vehicle.now();
    for (const { unit, line } of [...chatter(vehicle, Date.now()), ...floodLines(vehicle, Date.now())]) {
      appendJournal(journal, unit, nowMs, [line]);
    }
    if (!isHeldBack) {
      send();
    }
  }, TICK_MS);
  // The workstation ends a follow by signalling it and closing the channel.
  channel.on('close', () => clearInterval(timer));
}
