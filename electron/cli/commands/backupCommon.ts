import { isAbsolute, resolve } from 'node:path';

import type { CliIo } from '../io';
import { openCore, type CliSession } from '../openCore';

/** Options the backup commands share: where the passphrase for secret files comes from. */
export const PASSPHRASE_OPTIONS = { 'passphrase-file': { type: 'string' } } as const;

/**
 * Opens the core with the passphrase source the command line names: --passphrase-file wins over OHTW_PASSPHRASE.
 * The file is read only when a secret file is written or read.
 */
export function openBackupCore(
  io: CliIo,
  dataDir: string | undefined,
  passphraseFile: string | undefined,
): Promise<CliSession> {
  if (passphraseFile === undefined) {
    return openCore(io, dataDir);
  }
  const file = isAbsolute(passphraseFile) ? passphraseFile : resolve(io.cwd, passphraseFile);
  return openCore({ ...io, env: { ...io.env, OHTW_PASSPHRASE_FILE: file } }, dataDir);
}

export function formatBytes(bytes: number): string {
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit += 1;
  }
  return unit === 0 ? `${bytes} B` : `${value.toFixed(value >= 100 ? 0 : 1)} ${units[unit]}`;
}

export function formatTable(header: string[], rows: string[][]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]): string =>
    cells
      .map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i] ?? 0)))
      .join('  ')
      .trimEnd();
  return [line(header), ...rows.map(line)].join('\n');
}
