import type { SaidValue } from '../../../shared/domain/said';
import { sh, type ShellText } from '../transport/shell';

/** Reads `systemctl show` output: one block of Key=Value lines per unit, blocks in the order the units were named. */
export type UnitProperties = Record<string, string>;

export const SERVICE_PROPERTIES = [
  'LoadState',
  'ActiveState',
  'SubState',
  'Result',
  'NRestarts',
  'ActiveEnterTimestamp',
  'InactiveEnterTimestamp',
  'UnitFileState',
  'ExecMainStatus',
  'MainPID',
] as const;

/** `systemctl show` of services; every name is one quoted word, whatever a unit's profile holds. */
export function systemctlShowCommand(units: readonly string[]): ShellText {
  const names = units.map((u) => (u.endsWith('.service') ? u : `${u}.service`));
  return sh`systemctl show --property=${SERVICE_PROPERTIES.join(',')} -- ${names}`;
}

export function parseSystemctlShow(output: string): UnitProperties[] {
  const blocks: UnitProperties[] = [];
  let current: UnitProperties | null = null;
  for (const raw of output.split('\n')) {
    const line = raw.replace(/\r$/, '');
    if (line.trim() === '') {
      if (current) {
        blocks.push(current);
      }
      current = null;
      continue;
    }
    const eq = line.indexOf('=');
    if (eq <= 0) {
      continue;
    }
    current ??= {};
    current[line.slice(0, eq)] = line.slice(eq + 1);
  }
  if (current) {
    blocks.push(current);
  }
  return blocks;
}

/** Block text of one unit, kept verbatim as a check's evidence. */
export function formatProperties(props: UnitProperties): string {
  return Object.entries(props)
    .map(([k, v]) => `${k}=${v}`)
    .join('\n');
}

/**
 * A timestamp as systemd prints it ("Sat 2026-11-28 15:49:15 UTC") as a moment each face shows in its reader's local
 * time; in a zone other than UTC, which cannot be placed without the vehicle's zone rules, as the vehicle said it.
 */
export function systemdMoment(text: string): SaidValue {
  const match = /^(?:\w{3} )?(\d{4}-\d{2}-\d{2}) (\d{2}:\d{2}:\d{2}) (UTC|GMT)$/.exec(text.trim());
  return match ? { at: `${match[1]}T${match[2]}Z` } : { raw: text };
}
