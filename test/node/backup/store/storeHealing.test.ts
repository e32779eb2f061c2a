import { readdir } from 'node:fs/promises';
import { join } from 'node:path';

import { describe, expect, it } from 'vitest';

import type { BackupStore } from '../../../../electron/core/backup/store/BackupStore';
import {
  useHarness,
  damageChunk,
  fileEntry,
  indexedChunks,
  packFiles,
  PROFILE,
  readAll,
  seededBytes,
  sha256,
  streamOf,
} from './storeHarness';

const h = useHarness({ noErrors: true });

const FW = '/opt/oht50/firmware/oht50_main';
const FIRMWARE = seededBytes('fw-heal', 2 * 1024 * 1024 + 11);

/** A backup of `unit` holding the shared firmware and a config of its own. */
async function backup(
  store: BackupStore,
  unit: string,
  options: { recheckReused?: boolean } = {},
): Promise<{ id: string; newBytes: number }> {
  const config = Buffer.from(`unit: ${unit}\n`);
  const writer = await store.beginBackup({ unit, profile: PROFILE, kind: 'backup', ...options });
  await writer.addFile(fileEntry(FW, FIRMWARE.length), streamOf(FIRMWARE));
  await writer.addFile(fileEntry('/etc/oht50/system.yaml', config.length), streamOf(config));
  const summary = await writer.commit();
  return { id: summary.id, newBytes: summary.newBytes };
}

async function firmwareChunk(store: BackupStore, id: string, index: number): Promise<{ id: string; size: number }> {
  const chunk = (await store.getManifest(id)).entries.find((e) => e.path === FW)?.chunks[index];
  if (chunk === undefined) {
    throw new Error(`no chunk ${index} of ${FW} in ${id}`);
  }
  return chunk;
}

describe('a damaged chunk is found, quarantined and written again', () => {
  it.each(['flip', 'truncate'] as const)(
    '%s: verify names the file and every backup sharing it; the next full backup heals them all',
    async (how) => {
      const store = await h.open();
      const a = await backup(store, 'unit-01');
      const b = await backup(store, 'unit-02');
      const victim = await firmwareChunk(store, a.id, 1);
      await damageChunk(h.dir, victim.id, how);

      const before = await store.check({ readData: true });
      expect(before.ok).toBe(false);
      expect(before.problems).toContainEqual(
        expect.objectContaining({ kind: 'chunk', subject: victim.id, backups: [a.id, b.id].sort() }),
      );

      const verified = await store.verify(a.id);
      expect(verified.ok).toBe(false);
      expect(verified.problems).toContainEqual(
        expect.objectContaining({ path: FW, problem: 'chunk-damaged', chunk: victim.id }),
      );
      expect(verified.sharedWith).toEqual([b.id]);
      expect((await store.verify(b.id)).ok).toBe(false);

      // The full backup reads every chunk it would reuse: the damaged one is written again from the unit's bytes.
      const c = await backup(store, 'unit-01', { recheckReused: true });
      expect(c.newBytes).toBeGreaterThanOrEqual(victim.size);
      expect(c.newBytes).toBeLessThan(FIRMWARE.length);
      for (const id of [a.id, b.id, c.id]) {
        expect(await store.verify(id)).toMatchObject({ ok: true, problems: [] });
        expect(sha256(await readAll(await store.openFile(id, FW)))).toBe(sha256(FIRMWARE));
      }
      const after = await store.check({ readData: true });
      expect(after).toMatchObject({ ok: true, problems: [] });
      expect(after.counts.quarantined).toBeGreaterThanOrEqual(1);
      expect(after.notes.join('\n')).toContain('quarantined');
    },
  );

  it('a full backup finds damage no verify has found yet; an ordinary one does not read what it reuses', async () => {
    const store = await h.open();
    const a = await backup(store, 'unit-01');
    const victim = await firmwareChunk(store, a.id, 0);
    await damageChunk(h.dir, victim.id, 'flip');
    const ordinary = await backup(store, 'unit-01');
    expect(ordinary.newBytes).toBe(0);
    expect((await store.verify(ordinary.id)).ok).toBe(false);

    const full = await backup(store, 'unit-01', { recheckReused: true });
    expect(full.newBytes).toBe(victim.size);
    for (const id of [a.id, ordinary.id, full.id]) {
      expect((await store.verify(id)).ok).toBe(true);
    }
  });

  it('an unchanged file is not reused from a quarantined chunk: it is read again and heals the store', async () => {
    const store = await h.open();
    const a = await backup(store, 'unit-01');
    const victim = await firmwareChunk(store, a.id, 1);
    await damageChunk(h.dir, victim.id, 'flip');
    expect((await store.verify(a.id)).quarantined).toBe(1);

    const writer = await store.beginBackup({ unit: 'unit-01', profile: PROFILE, kind: 'backup' });
    const refused = await writer.reuseFile(fileEntry(FW, FIRMWARE.length), { fromBackupId: a.id, path: FW });
    expect(refused).toMatchObject({ reused: false, reason: 'chunk-quarantined' });
    const added = await writer.addFile(fileEntry(FW, FIRMWARE.length), streamOf(FIRMWARE));
    expect(added.newBytes).toBe(victim.size);
    const healed = await writer.commit();
    expect((await store.verify(healed.id)).ok).toBe(true);
    expect((await store.verify(a.id)).ok).toBe(true);
    // The damaged bytes are kept, named by a record; the index also names the good copy.
    expect((await readdir(join(h.dir, 'quarantine'))).length).toBe(1);
    expect((await store.check({ readData: true })).ok).toBe(true);
  });

  it('a read that meets damage quarantines the chunk, so the restore of a file fails and the next backup heals it', async () => {
    const store = await h.open();
    const a = await backup(store, 'unit-01');
    const victim = await firmwareChunk(store, a.id, 0);
    await damageChunk(h.dir, victim.id, 'flip');
    await expect(readAll(await store.openFile(a.id, FW))).rejects.toMatchObject({ code: 'BACKUP_DAMAGED' });
    const next = await backup(store, 'unit-01');
    expect(next.newBytes).toBe(victim.size);
    expect((await store.verify(a.id)).ok).toBe(true);
  });

  it('a pack gone from the disk: check names the chunks and backups it takes; reuse is refused', async () => {
    const store = await h.open();
    const a = await backup(store, 'unit-01');
    const victim = await firmwareChunk(store, a.id, 0);
    await damageChunk(h.dir, victim.id, 'remove-pack');
    const checked = await store.check();
    expect(checked.ok).toBe(false);
    expect(checked.problems.every((p) => p.kind === 'chunk' && p.backups.includes(a.id))).toBe(true);
    expect(checked.notes.join('\n')).toContain('missing from packs/');
    const writer = await store.beginBackup({ unit: 'unit-01', profile: PROFILE, kind: 'backup' });
    expect(await writer.reuseFile(fileEntry(FW, FIRMWARE.length), { fromBackupId: a.id, path: FW })).toMatchObject({
      reused: false,
      reason: 'chunk-missing',
    });
    await writer.abort();
  });
});

describe('prune', () => {
  it('rewrites a pack that is mostly dead: its live chunks move to a new pack, the old one goes', async () => {
    const store = await h.open();
    const keep = seededBytes('keep', 1024 * 1024);
    const drop = seededBytes('drop', 3 * 1024 * 1024);
    const first = await store.beginBackup({ unit: 'u', profile: PROFILE, kind: 'backup' });
    await first.addFile(fileEntry('/keep.bin', keep.length), streamOf(keep));
    await first.addFile(fileEntry('/drop.bin', drop.length), streamOf(drop));
    const a = await first.commit();
    const second = await store.beginBackup({ unit: 'u', profile: PROFILE, kind: 'backup' });
    await second.addFile(fileEntry('/keep.bin', keep.length), streamOf(keep));
    const b = await second.commit();
    const [oldPack] = await packFiles(h.dir);

    const pruned = await store.prune({ keepDaily: 1, keepMonthly: 0 });
    expect(pruned.removedBackups).toEqual([a.id]);
    expect(pruned.removedPacks).toBe(1);
    expect(pruned.freedBytes).toBeGreaterThan(drop.length * 0.99);
    const packs = await packFiles(h.dir);
    expect(packs).toHaveLength(1);
    expect(packs[0]).not.toBe(oldPack);
    expect(sha256(await readAll(await store.openFile(b.id, '/keep.bin')))).toBe(sha256(keep));
    expect(await store.check({ readData: true })).toMatchObject({ ok: true, unreferencedPacks: [] });
    // A fresh store object reads the rewritten index alone.
    const again = await h.open();
    expect((await again.verify(b.id)).ok).toBe(true);
    expect([...(await indexedChunks(h.dir)).values()].every((c) => packs[0]?.endsWith(c.pack))).toBe(true);
  });
});

describe('small files, deflated together in blocks', () => {
  const small = (i: number): Buffer =>
    Buffer.from(`# module ${i}\ndef f(x):\n    return x * ${i}\n`.repeat(1 + (i % 7)));

  async function smallBackup(store: BackupStore, count: number): Promise<string> {
    const writer = await store.beginBackup({ unit: 'u', profile: PROFILE, kind: 'backup' });
    for (let i = 0; i < count; i += 1) {
      await writer.addFile(fileEntry(`/opt/oht50/venv/m${i}.py`, small(i).length), streamOf(small(i)));
    }
    return (await writer.commit()).id;
  }

  it('are stored compressed together, read back one by one, and a damaged block heals with the next backup', async () => {
    const store = await h.open();
    const id = await smallBackup(store, 3000);
    const plain = Array.from({ length: 3000 }, (_, i) => small(i).length).reduce((a, b) => a + b, 0);
    const summary = (await store.list())[0];
    expect(summary?.storedBytes).toBeGreaterThan(0);
    expect(summary?.storedBytes).toBeLessThan(plain / 4);
    expect((await readAll(await store.openFile(id, '/opt/oht50/venv/m1234.py'))).equals(small(1234))).toBe(true);
    expect(await store.check({ readData: true })).toMatchObject({ ok: true });

    const chunk = (await store.getManifest(id)).entries.find((e) => e.path === '/opt/oht50/venv/m10.py')?.chunks[0];
    await damageChunk(h.dir, chunk?.id ?? '', 'flip');
    const verified = await store.verify(id);
    expect(verified.ok).toBe(false);
    expect(verified.problems.map((p) => p.path)).toContain('/opt/oht50/venv/m10.py');
    const healed = await smallBackup(store, 3000);
    expect((await store.verify(healed)).ok).toBe(true);
    expect((await store.verify(id)).ok).toBe(true);
    expect((await store.check({ readData: true })).ok).toBe(true);
  });
});
