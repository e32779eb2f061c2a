import type { SimUnitState } from '../simOtherUnits';
import { systemdRelative, systemdTimestamp } from '../timeFormat';

/**
 * The head of `systemctl status UNIT` as systemd 249 (Ubuntu 22.04, the Orange Pi OS base) prints it. The
 * journal tail that follows on a vehicle is left out until the simulator keeps a journal.
 */

const EXIT_NAMES: Record<number, string> = {
  0: 'SUCCESS',
  1: 'FAILURE',
  2: 'INVALIDARGUMENT',
  3: 'NOTIMPLEMENTED',
  4: 'NOPERMISSION',
  5: 'NOTINSTALLED',
  6: 'NOTCONFIGURED',
  7: 'NOTRUNNING',
};
const SIGNAL_NAMES: Record<number, string> = { 1: 'HUP', 2: 'INT', 6: 'ABRT', 9: 'KILL', 11: 'SEGV', 15: 'TERM' };

function howItEnded(s: SimUnitState): string {
  if (s.execMainCode === 1) {
    const name = EXIT_NAMES[s.execMainStatus];
    return `code=exited, status=${s.execMainStatus}${name === undefined ? '' : `/${name}`}`;
  }
  const signal = SIGNAL_NAMES[s.execMainStatus] ?? String(s.execMainStatus);
  return `code=${s.execMainCode === 3 ? 'dumped' : 'killed'}, signal=${signal}`;
}

function bullet(s: SimUnitState): string {
  switch (s.activeState) {
    case 'active':
    case 'activating':
      return '●';
    case 'failed':
      return '×';
    case 'inactive':
      return '○';
  }
}

export function unitStatus(s: SimUnitState, nowMs: number): string {
  const since = `since ${systemdTimestamp(s.sinceMs)}; ${systemdRelative(s.sinceMs, nowMs)}`;
  const result = s.result === 'success' ? '' : ` (Result: ${s.result})`;
  const lines = [
    `${bullet(s)} ${s.unit} - ${s.description}`,
    `     Loaded: loaded (/etc/systemd/system/${s.unit}; ${s.unitFileState}; vendor preset: enabled)`,
    // systemd leaves the sub-state out when it only repeats the state ("failed (Result: exit-code)").
    `     Active: ${s.activeState}${s.subState === s.activeState ? '' : ` (${s.subState})`}${result} ${since}`,
  ];
  if (s.mainPid !== 0) {
    lines.push(`   Main PID: ${s.mainPid} (${s.processName})`);
    lines.push(`     CGroup: /system.slice/${s.unit}`);
    lines.push(`             └─${s.mainPid} ${s.execStart}`);
  } else if (s.execMainExitMs !== null) {
    lines.push(`    Process: ${s.execMainPid} ExecStart=${s.execStart} (${howItEnded(s)})`);
    lines.push(`   Main PID: ${s.execMainPid} (${howItEnded(s)})`);
  }
  return `${lines.join('\n')}\n`;
}
