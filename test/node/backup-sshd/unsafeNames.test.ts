import { mkdtemp, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import type { BackupDetail, BackupRunResult, BackupUnitResult } from '../../../shared/domain/backup';
import type { RestorePlan } from '../../../shared/domain/restore';
import { runCli } from '../../../electron/cli/main';
import { createCore, type Core } from '../../../electron/core/createCore';
import { captureIo } from '../../support/cli/captureIo';
import { createCapturingLogger } from '../../support/fakes/captureLogger';
import { startSshd, type SshdFixture } from '../../support/sshd/startSshd';
import { addRestoreUnit, envelopeValue } from '../restore-sshd/restoreHarness';
import { createBackendDatabase, createTree, standardTree } from './vehicleTree';

/**
 * A unit holding what a restore refuses: a file whose name holds a newline, one whose name holds an escape sequence
 * (it would recolour a terminal), and a symlink pointing at /etc/passwd. The backup leaves the three out, says why,
 * is 'partial', and is restorable: its dry run succeeds. Against a real OpenSSH sshd and GNU tar.
 */
const PASSPHRASE = 'unsafe names passphrase';
let sshd: SshdFixture;
let dataDir: string;
let core: Core;
let base: string;

const NEWLINE = '/opt/oht50/config/line\nbreak.yaml';
const ESCAPE = '/opt/oht50/config/\u001b[31mred\u001b[0m.yaml';
const OUTWARD = '/opt/oht50/config/passwd';

async function backup(full = false): Promise<BackupUnitResult> {
  const run = envelopeValue<BackupRunResult>(
    await core.dispatch('backup.run', { names: ['unit-x'], full }),
    'backup.run',
  );
  const [result] = run.results;
  if (result === undefined) {
    throw new Error('no result');
  }
  return result;
}

beforeAll(async () => {
  sshd = await startSshd();
  dataDir = await mkdtemp(join(tmpdir(), 'ohtw-unsafe-names-'));
  core = await createCore({
    dataDir,
    face: 'cli',
    logger: createCapturingLogger().logger,
    env: { OHTW_PASSPHRASE: PASSPHRASE },
  });
  base = join(sshd.vehicleDir, 'unsafe-tree', 'unit-x');
  await createTree(base, standardTree('unit-x'));
  await createBackendDatabase(base);
  await writeFile(base + NEWLINE, 'a name with a newline\n');
  await writeFile(base + ESCAPE, 'a name with an escape sequence\n');
  await symlink('/etc/passwd', base + OUTWARD);
  await addRestoreUnit(core, sshd, 'unit-x', base);
});

afterAll(async () => {
  await core?.close();
  await sshd?.stop();
  if (dataDir) {
    await rm(dataDir, { recursive: true, force: true });
  }
});

describe('a unit with names and links a restore refuses', () => {
  it('is backed up partially: the three are left out, each with its reason, and the backup is restorable', async () => {
    const result = await backup();
    expect(result.status).toBe('partial');
    expect(result.backupId).not.toBeNull();
    const reasons = new Map(result.skipped.map((s) => [s.path, s.reason]));
    expect([...reasons.keys()].sort()).toEqual([base + ESCAPE, base + NEWLINE, base + OUTWARD].sort());
    expect(reasons.get(base + NEWLINE)).toContain('control character');
    expect(reasons.get(base + ESCAPE)).toContain('control character');
    expect(reasons.get(base + OUTWARD)).toContain('points out of the profile');
    expect(reasons.get(base + OUTWARD)).toContain('/etc/passwd');

    const detail = envelopeValue<BackupDetail>(
      await core.dispatch('backup.get', { backupId: result.backupId }),
      'backup.get',
    );
    expect(detail.skipped).toBe(3);
    expect(detail.skippedPaths.map((s) => s.path).sort()).toEqual([...reasons.keys()].sort());
    expect(
      detail.entries.some((e) => e.path.includes('\n') || e.path.includes('\u001b') || e.path === base + OUTWARD),
    ).toBe(false);
    expect(detail.entries.some((e) => e.path === `${base}/opt/oht50/config/system.yaml`)).toBe(true);
    expect(await core.dispatch('backup.verify', { backupId: result.backupId })).toMatchObject({ ok: true });

    // The dry run of its restore succeeds (no UNSAFE_PATH), and leaves the three as they are on the unit.
    const plan = envelopeValue<RestorePlan>(
      await core.dispatch('restore.plan', { name: 'unit-x', backupId: result.backupId, replacement: false }),
      'restore.plan',
    );
    expect(plan.changes.filter((c) => reasons.has(c.path))).toEqual([]);
    expect(plan.counts.unchanged).toBeGreaterThan(10);
  });

  it('the next backup, which lists the unit first, leaves the same three out', async () => {
    const result = await backup();
    expect(result.status).toBe('partial');
    expect(result.reusedFiles).toBeGreaterThan(5);
    expect(result.skipped.map((s) => s.path).sort()).toEqual([base + ESCAPE, base + NEWLINE, base + OUTWARD].sort());
  });

  it('ohtw prints the names escaped: no escape sequence reaches the terminal, no newline forges a line', async () => {
    const io = captureIo({ OHTW_PASSPHRASE: PASSPHRASE });
    await core.close();
    expect(await runCli(['backup', 'unit-x', '--data-dir', dataDir], io)).toBe(0);
    const out = io.stdout();
    expect(out).not.toContain('\u001b');
    expect(out).toContain('WARNING: PARTIAL backup: 3 paths left out');
    expect(out).toContain(`${base}/opt/oht50/config/line\\u000abreak.yaml: its name holds a control character`);
    expect(out).toContain(`${base}/opt/oht50/config/\\u001b[31mred\\u001b[0m.yaml`);
    const id = /as (\S+)/.exec(out)?.[1] ?? '';

    io.reset();
    expect(await runCli(['backup', 'unit-x', '--json', '--data-dir', dataDir], io)).toBe(0);
    const json = JSON.parse(io.stdout()) as { status: string; skipped: { path: string; reason: string }[] };
    expect(json.status).toBe('partial');
    expect(json.skipped.map((s) => s.path)).toContain(base + NEWLINE);

    io.reset();
    expect(await runCli(['backups', 'show', id, '--data-dir', dataDir], io)).toBe(0);
    expect(io.stdout()).not.toContain('\u001b');
    expect(io.stdout()).toContain('left out: ');
    // Every table row is one line: no name in it can start a row of its own.
    const rows = io
      .stdout()
      .split('\n')
      .slice(2)
      .filter((line) => line !== '' && !line.startsWith('left out: ') && !line.startsWith('attachments: '));
    expect(rows.filter((line) => !/^[-dl][0-7]{4}\s/.test(line))).toEqual([]);
    expect(await readFile(base + NEWLINE, 'utf8')).toBe('a name with a newline\n');
    core = await createCore({
      dataDir,
      face: 'cli',
      logger: createCapturingLogger().logger,
      env: { OHTW_PASSPHRASE: PASSPHRASE },
    });
  });
});
