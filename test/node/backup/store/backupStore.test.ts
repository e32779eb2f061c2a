import { spawnSync } from 'node:child_process';
import { readdir, readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Readable } from 'node:stream';

import { describe, expect, it } from 'vitest';

import type { FileEntryInput, StoreFs } from '../../../../electron/core/backup/store/BackupStore';
import { staticKeyProvider } from '../../../../electron/core/backup/store/keyProviders';
import { nodeStoreFs } from '../../../../electron/core/backup/store/storeFs';
import { AppError } from '../../../../shared/errors/AppError';
import type { Harness } from './storeHarness';
import {
  cleanVerify,
  useHarness,
  damageChunk,
  dirEntry,
  fileEntry,
  indexedChunks,
  packFiles,
  packPathOf,
  PROFILE,
  readAll,
  seededBytes,
  sha256,
  streamOf,
} from './storeHarness';

const h = useHarness({ noErrors: true });

async function codeOf(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
  } catch (error) {
    return error instanceof AppError ? error.code : `not an AppError: ${String(error)}`;
  }
  return 'resolved';
}

/** Chunk ids the store's index names, sorted. */
async function chunkIds(dir: string): Promise<string[]> {
  return [...(await indexedChunks(dir)).keys()].sort();
}

/** Every file of the store, as bytes, for looking through what is on disk. */
async function everyStoreFile(dir: string): Promise<Buffer[]> {
  const out: Buffer[] = [];
  for (const entry of await readdir(dir, { recursive: true, withFileTypes: true })) {
    if (entry.isFile()) {
      out.push(await readFile(join(entry.parentPath, entry.name)));
    }
  }
  return out;
}

describe('backup store round trip', () => {
  it('keeps a tree of dirs, symlinks, binary, empty and secret files exactly', async () => {
    const store = await h.open();
    const firmware = seededBytes('firmware', 3 * 1024 * 1024 + 17);
    const env = Buffer.from('DATABASE_URL=sqlite:///opt/oht50/backend/oht50.db\nJWT_SECRET=s3cr3t-value\n');
    const writer = await store.beginBackup({ unit: 'unit-07', profile: PROFILE, kind: 'backup', meta: { v: '2.1' } });
    await writer.addFile(dirEntry('/opt/oht50'));
    await writer.addFile({ ...dirEntry('/etc/oht50'), mode: 0o750, uid: 0, gid: 0, owner: 'root', group: 'root' });
    const fw = await writer.addFile(
      fileEntry('/opt/oht50/firmware/oht50_main', firmware.length, { mode: 0o755 }),
      streamOf(firmware),
    );
    await writer.addFile(fileEntry('/opt/oht50/empty', 0), streamOf(Buffer.alloc(0)));
    await writer.addFile(
      fileEntry('/opt/oht50/backend/.env', env.length, { mode: 0o600, secret: true }),
      streamOf(env),
    );
    await writer.addFile({
      ...fileEntry('/opt/oht50/current', 0),
      type: 'symlink',
      mode: 0o777,
      linkTarget: 'releases/2.1',
    });
    await writer.addAttachment('rs485-parameters', { power: { '0x0100': 24 } });
    expect(await store.list()).toEqual([]);
    const summary = await writer.commit();

    expect(fw).toMatchObject({ sha256: sha256(firmware), size: firmware.length, newBytes: firmware.length });
    expect(summary).toMatchObject({ unit: 'unit-07', kind: 'backup', files: 6, bytes: firmware.length + env.length });
    expect(summary.hasSecrets).toBe(true);
    expect((await store.list()).map((s) => s.id)).toEqual([summary.id]);

    const manifest = await store.getManifest(summary.id);
    expect(manifest.profile).toEqual(PROFILE);
    expect(manifest.meta).toEqual({ v: '2.1' });
    expect(manifest.attachments).toEqual({ 'rs485-parameters': { power: { '0x0100': 24 } } });
    expect(manifest.entries.map((e) => [e.path, e.type, e.mode.toString(8), e.owner])).toEqual([
      ['/opt/oht50', 'dir', '755', 'orangepi'],
      ['/etc/oht50', 'dir', '750', 'root'],
      ['/opt/oht50/firmware/oht50_main', 'file', '755', 'orangepi'],
      ['/opt/oht50/empty', 'file', '644', 'orangepi'],
      ['/opt/oht50/backend/.env', 'file', '600', 'orangepi'],
      ['/opt/oht50/current', 'symlink', '777', 'orangepi'],
    ]);
    expect(manifest.entries.find((e) => e.path === '/opt/oht50/backend/.env')?.sha256).toBe(sha256(env));
    expect(manifest.entries.find((e) => e.path === '/opt/oht50/current')?.linkTarget).toBe('releases/2.1');

    expect(sha256(await readAll(await store.openFile(summary.id, '/opt/oht50/firmware/oht50_main')))).toBe(
      sha256(firmware),
    );
    expect((await readAll(await store.openFile(summary.id, '/opt/oht50/backend/.env'))).equals(env)).toBe(true);
    expect((await readAll(await store.openFile(summary.id, '/opt/oht50/empty'))).length).toBe(0);
    expect(await codeOf(store.openFile(summary.id, '/opt/oht50'))).toBe('NOT_FOUND');
    expect(await codeOf(store.openFile(summary.id, '/nope'))).toBe('NOT_FOUND');
    expect(await codeOf(store.getManifest('20260101T000000Z-nope-00000000'))).toBe('NOT_FOUND');
    expect(await codeOf(store.getManifest('../../etc/passwd'))).toBe('NOT_FOUND');

    expect(await store.verify(summary.id)).toEqual(cleanVerify(3));
  });

  it('refuses paths that are relative, not normal or climb', async () => {
    const store = await h.open();
    const writer = await store.beginBackup({ unit: 'u', profile: PROFILE, kind: 'backup' });
    for (const bad of ['relative/x', '/a/../b', '/a//b', '/a/./b', '/a/', '/../etc/passwd', '/a\0b', '']) {
      expect(await codeOf(writer.addFile(dirEntry(bad)))).toBe('UNSAFE_PATH');
    }
    await writer.addFile(dirEntry('/a'));
    expect(await codeOf(writer.addFile(dirEntry('/a')))).toBe('CONFLICT');
    expect(await codeOf(writer.addFile(fileEntry('/b', 1)))).toBe('VALIDATION');
    await writer.abort();
  });

  it('streams a 200 MB file with flat memory and reads it back by stream', async () => {
    const store = await h.open();
    const total = 200 * 1024 * 1024;
    const baseline = process.memoryUsage().rss;
    let peak = baseline;
    const sample = (): void => {
      peak = Math.max(peak, process.memoryUsage().rss);
    };
    // Blocks are random (incompressible) and generated on the fly: the test itself never holds the file.
    const { createHash, randomBytes } = await import('node:crypto');
    const hash = createHash('sha256');
    let sent = 0;
    const content = new Readable({
      read() {
        if (sent >= total) {
          this.push(null);
          return;
        }
        const block = randomBytes(1024 * 1024);
        hash.update(block);
        sent += block.length;
        sample();
        this.push(block);
      },
    });
    const writer = await store.beginBackup({ unit: 'unit-big', profile: PROFILE, kind: 'backup' });
    const result = await writer.addFile(fileEntry('/opt/oht50/data/big.bin', total), content);
    const summary = await writer.commit();
    const expected = hash.digest('hex');
    expect(result).toMatchObject({ sha256: expected, size: total, newBytes: total });

    const back = createHash('sha256');
    let backSize = 0;
    for await (const part of await store.openFile(summary.id, '/opt/oht50/data/big.bin')) {
      back.update(part as Buffer);
      backSize += (part as Buffer).length;
      sample();
    }
    expect(backSize).toBe(total);
    expect(back.digest('hex')).toBe(expected);
    // A store that buffered the file would grow by 200 MB or more; chunks in flight are a few MiB.
    expect(peak - baseline).toBeLessThan(96 * 1024 * 1024);
  }, 180_000);
});

describe('deduplication', () => {
  it('stores the same firmware on three units once, and an unchanged second backup writes nothing new', async () => {
    const store = await h.open();
    const firmware = seededBytes('fw-2.1', 8 * 1024 * 1024);
    const ids: string[] = [];
    const newBytes: number[] = [];
    for (const unit of ['unit-01', 'unit-02', 'unit-03']) {
      const config = Buffer.from(`unit: ${unit}\nserver: 192.168.1.10\n`);
      const writer = await store.beginBackup({ unit, profile: PROFILE, kind: 'backup' });
      await writer.addFile(fileEntry('/opt/oht50/firmware/oht50_main', firmware.length), streamOf(firmware));
      await writer.addFile(fileEntry('/etc/oht50/system.yaml', config.length), streamOf(config));
      const summary = await writer.commit();
      ids.push(summary.id);
      newBytes.push(summary.newBytes);
    }
    const configSize = 'unit: unit-01\nserver: 192.168.1.10\n'.length;
    expect(newBytes[0]).toBe(firmware.length + configSize);
    expect(newBytes.slice(1)).toEqual([configSize, configSize]);
    const stats = await store.stats();
    expect(stats).toMatchObject({ backups: 3, units: 3, logicalBytes: 3 * (firmware.length + configSize) });
    expect(stats.uniqueBytes).toBe(firmware.length + 3 * configSize);
    // Random firmware does not compress: what is on disk is one copy plus chunk headers.
    expect(stats.storedBytes).toBeLessThan(firmware.length * 1.01 + 3 * 200);

    const again = await store.beginBackup({ unit: 'unit-01', profile: PROFILE, kind: 'backup' });
    const r = await again.addFile(fileEntry('/opt/oht50/firmware/oht50_main', firmware.length), streamOf(firmware));
    expect(r).toMatchObject({ newBytes: 0, storedBytes: 0 });
    expect((await again.commit()).newBytes).toBe(0);
    expect((await store.stats()).storedBytes).toBe(stats.storedBytes);
  });

  it('writes only the chunks around a small change in a large file', async () => {
    const store = await h.open();
    const db = seededBytes('db', 16 * 1024 * 1024);
    const first = await store.beginBackup({ unit: 'u', profile: PROFILE, kind: 'backup' });
    await first.addFile(fileEntry('/opt/oht50/backend/oht50.db', db.length), streamOf(db));
    await first.commit();
    const changed = Buffer.from(db);
    changed.write('a rewritten page', 9 * 1024 * 1024 + 123);
    const inserted = Buffer.concat([
      changed.subarray(0, 5 * 1024 * 1024),
      Buffer.from('x'.repeat(100)),
      changed.subarray(5 * 1024 * 1024),
    ]);
    const second = await store.beginBackup({ unit: 'u', profile: PROFILE, kind: 'backup' });
    const r = await second.addFile(fileEntry('/opt/oht50/backend/oht50.db', inserted.length), streamOf(inserted, 4096));
    await second.commit();
    // An edit and an insertion each cost at most two chunks (1 MiB max each), not the 11 MiB after the insertion.
    expect(r.newBytes).toBeGreaterThan(0);
    expect(r.newBytes).toBeLessThanOrEqual(4 * 1024 * 1024);
  });
});

describe('passphrase', () => {
  async function backupWithSecret(store: Awaited<ReturnType<Harness['open']>>): Promise<string> {
    const env = Buffer.from('JWT_SECRET=abc\n');
    const writer = await store.beginBackup({ unit: 'u', profile: PROFILE, kind: 'backup' });
    await writer.addFile(fileEntry('/opt/oht50/backend/.env', env.length, { secret: true }), streamOf(env));
    return (await writer.commit()).id;
  }

  it('keeps secret content and its hashes off the disk in the clear', async () => {
    const store = await h.open();
    const secret = Buffer.from('JWT_SECRET=very-secret-token-123456\n'.repeat(10));
    const writer = await store.beginBackup({ unit: 'u', profile: PROFILE, kind: 'backup' });
    await writer.addFile(fileEntry('/opt/oht50/backend/.env', secret.length, { secret: true }), streamOf(secret));
    const { id } = await writer.commit();
    const [chunk, ...others] = await chunkIds(h.dir);
    expect(others).toEqual([]);
    expect(chunk).not.toBe(sha256(secret));
    for (const file of await everyStoreFile(h.dir)) {
      expect(file.includes(Buffer.from('very-secret'))).toBe(false);
      expect(file.includes(Buffer.from(sha256(secret)))).toBe(false);
    }
    const manifestText = await readFile(join(h.dir, 'manifests', `${id}.files.jsonl`), 'utf8');
    expect(manifestText).not.toContain(sha256(secret));
    expect(manifestText).not.toContain('very-secret');
    expect((await readAll(await store.openFile(id, '/opt/oht50/backend/.env'))).equals(secret)).toBe(true);
  });

  it('a wrong passphrase fails at once and writes nothing', async () => {
    const id = await backupWithSecret(await h.open());
    const before = await packFiles(h.dir);
    const wrong = await h.open({ keyProvider: staticKeyProvider('not the passphrase', 'OHTW_PASSPHRASE') });
    expect(await codeOf(wrong.unlock())).toBe('PASSPHRASE_WRONG');
    const writer = await wrong.beginBackup({ unit: 'u', profile: PROFILE, kind: 'backup' });
    const other = Buffer.from('JWT_SECRET=other\n');
    expect(await codeOf(writer.addFile(fileEntry('/x/.env', other.length, { secret: true }), streamOf(other)))).toBe(
      'PASSPHRASE_WRONG',
    );
    await writer.abort();
    expect(await codeOf(wrong.getManifest(id))).toBe('PASSPHRASE_WRONG');
    expect(await codeOf(wrong.openFile(id, '/opt/oht50/backend/.env'))).toBe('PASSPHRASE_WRONG');
    expect(await codeOf(wrong.verify(id))).toBe('PASSPHRASE_WRONG');
    expect(await packFiles(h.dir)).toEqual(before);
    expect((await wrong.list()).map((s) => s.id)).toEqual([id]);
  });

  it('a missing passphrase fails for secrets only', async () => {
    const none = await h.open({ keyProvider: staticKeyProvider(null, 'OHTW_PASSPHRASE') });
    const writer = await none.beginBackup({ unit: 'u', profile: PROFILE, kind: 'backup' });
    const env = Buffer.from('JWT_SECRET=abc\n');
    const error = await writer
      .addFile(fileEntry('/opt/oht50/backend/.env', env.length, { secret: true }), streamOf(env))
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AppError);
    expect((error as AppError).code).toBe('PASSPHRASE_MISSING');
    expect((error as AppError).message).toContain('OHTW_PASSPHRASE');
    const plain = Buffer.from('plain');
    await writer.addFile(fileEntry('/etc/oht50/system.yaml', plain.length), streamOf(plain));
    const { id } = await writer.commit();
    expect(await none.verify(id)).toMatchObject({ ok: true, checkedFiles: 1 });
    expect(await chunkIds(h.dir)).toHaveLength(1);
  });

  it('verify without the passphrase checks the plain files and reports the secret ones unchecked', async () => {
    const store = await h.open();
    const writer = await store.beginBackup({ unit: 'u', profile: PROFILE, kind: 'backup' });
    const env = Buffer.from('JWT_SECRET=abc\n');
    const conf = Buffer.from('unit: u\n');
    await writer.addFile(fileEntry('/opt/oht50/backend/.env', env.length, { secret: true }), streamOf(env));
    await writer.addFile(fileEntry('/etc/oht50/system.yaml', conf.length), streamOf(conf));
    const { id } = await writer.commit();
    const none = await h.open({ keyProvider: staticKeyProvider(null) });
    expect(await none.verify(id)).toEqual({
      ok: false,
      checkedFiles: 1,
      problems: [
        { path: '/opt/oht50/backend/.env', problem: 'passphrase-needed', message: expect.any(String) as string },
      ],
      sharedWith: [],
      quarantined: 0,
    });
    expect(await codeOf(none.getManifest(id))).toBe('PASSPHRASE_MISSING');
    expect((await readAll(await none.openFile(id, '/etc/oht50/system.yaml'))).equals(conf)).toBe(true);
  });

  it('the keychain provider mints and saves a passphrase for a new store', async () => {
    const { keychainKeyProvider } = await import('../../../../electron/core/backup/store/keyProviders');
    let saved: string | null = null;
    const port = { load: () => Promise.resolve(saved), save: (p: string) => Promise.resolve(void (saved = p)) };
    const store = await h.open({ keyProvider: keychainKeyProvider(port) });
    const id = await backupWithSecret(store);
    expect(saved).toMatch(/^[A-Za-z0-9_-]{40,}$/);
    const again = await h.open({ keyProvider: keychainKeyProvider(port) });
    expect(await again.verify(id)).toMatchObject({ ok: true });
  });
});

describe('crash safety and full disk', () => {
  it('an interrupted backup is never listed; check names the packs it left and prune collects them', async () => {
    // Small packs: the interrupted backup has sealed packs on disk that no index names.
    const first = await h.open({ packSize: 256 * 1024 });
    const data = seededBytes('partial', 2 * 1024 * 1024);
    const writer = await first.beginBackup({ unit: 'u', profile: PROFILE, kind: 'backup' });
    await writer.addFile(fileEntry('/opt/oht50/a.bin', data.length), streamOf(data));
    // The process "dies" here: no commit, no abort. Its lock names a process that no longer runs.
    const [lock] = await readdir(join(h.dir, 'locks'));
    const lockPath = join(h.dir, 'locks', lock as string);
    const body = JSON.parse(await readFile(lockPath, 'utf8')) as { pid: number };
    body.pid = spawnSync('true').pid;
    await writeFile(lockPath, JSON.stringify(body));
    const next = await h.open();
    expect(await next.list()).toEqual([]);
    const left = await packFiles(h.dir);
    expect(left.length).toBeGreaterThan(0);
    const checked = await next.check();
    expect(checked).toMatchObject({ ok: true, problems: [] });
    expect(checked.unreferencedPacks.length).toBe(left.length);
    const pruned = await next.prune({ keepDaily: 7, keepMonthly: 6 });
    expect(pruned.removedBackups).toEqual([]);
    expect(pruned.removedPacks).toBe(left.length);
    expect(pruned.freedBytes).toBeGreaterThan(0);
    expect(await packFiles(h.dir)).toEqual([]);
    expect(await readdir(join(h.dir, 'locks'))).toEqual([]);
    expect(await readdir(join(h.dir, 'tmp'))).toEqual([]);
    expect((await next.check()).unreferencedPacks).toEqual([]);
    const again = await next.beginBackup({ unit: 'u', profile: PROFILE, kind: 'backup' });
    await again.addFile(fileEntry('/opt/oht50/a.bin', data.length), streamOf(data));
    const { id } = await again.commit();
    expect(await next.verify(id)).toMatchObject({ ok: true, checkedFiles: 1 });
  });

  it('a content stream that fails (unit gone) leaves the writer usable and the entry out', async () => {
    const store = await h.open();
    const writer = await store.beginBackup({ unit: 'u', profile: PROFILE, kind: 'backup' });
    const broken = new Readable({
      read() {
        this.destroy(new AppError('TRANSPORT_CLOSED', 'connection lost'));
      },
    });
    expect(await codeOf(writer.addFile(fileEntry('/a', 10), broken))).toBe('TRANSPORT_CLOSED');
    await writer.addFile(fileEntry('/b', 1), streamOf(Buffer.from('b')));
    const { id } = await writer.commit();
    expect((await store.getManifest(id)).entries.map((e) => e.path)).toEqual(['/b']);
  });

  it('abort while a file is streaming stops it, releases the lock and lists nothing', async () => {
    const store = await h.open({ packSize: 512 * 1024 });
    const writer = await store.beginBackup({ unit: 'u', profile: PROFILE, kind: 'backup' });
    let sentFirst = false;
    const stalled = new Readable({
      read() {
        if (!sentFirst) {
          sentFirst = true;
          this.push(seededBytes('stall', 2 * 1024 * 1024));
        }
        // then nothing more: a unit that stopped answering
      },
    });
    const adding = writer.addFile(fileEntry('/opt/oht50/big', 10 * 1024 * 1024), stalled);
    await new Promise((resolve) => setTimeout(resolve, 200));
    await writer.abort();
    expect(await codeOf(adding)).toBe('CANCELLED');
    expect(await codeOf(writer.commit())).toBe('PRECONDITION_FAILED');
    expect(await readdir(join(h.dir, 'locks'))).toEqual([]);
    expect(await store.list()).toEqual([]);
    expect((await store.prune({ keepDaily: 1, keepMonthly: 1 })).freedBytes).toBeGreaterThan(0);
  });

  /** A disk that fills up after `packBytes` bytes of packs, or refuses renames into place of some files. */
  function fullDiskAfter(packBytes: number, also: { failRenameOf?: RegExp } = {}): StoreFs {
    let left = packBytes;
    const enospc = (): Error => Object.assign(new Error('ENOSPC: no space left on device'), { code: 'ENOSPC' });
    return {
      ...nodeStoreFs,
      async createAppendable(path) {
        const file = await nodeStoreFs.createAppendable(path);
        return {
          ...file,
          async append(data) {
            if (left < data.length) {
              throw enospc();
            }
            left -= data.length;
            await file.append(data);
          },
        };
      },
      async rename(from, to) {
        if (also.failRenameOf?.test(to) === true) {
          throw enospc();
        }
        await nodeStoreFs.rename(from, to);
      },
    };
  }

  it('a full disk while writing chunks is DISK_FULL and leaves the store consistent', async () => {
    const good = await h.open();
    const keep = seededBytes('keep', 1024 * 1024);
    const w0 = await good.beginBackup({ unit: 'u', profile: PROFILE, kind: 'backup' });
    await w0.addFile(fileEntry('/keep', keep.length), streamOf(keep));
    const kept = await w0.commit();

    const full = await h.open({ fs: fullDiskAfter(3 * 1024 * 1024) });
    const writer = await full.beginBackup({ unit: 'u', profile: PROFILE, kind: 'backup' });
    const big = seededBytes('big', 8 * 1024 * 1024);
    const error = await writer.addFile(fileEntry('/big', big.length), streamOf(big)).catch((e: unknown) => e);
    expect((error as AppError).code).toBe('DISK_FULL');
    expect((error as AppError).message).toContain(h.dir);
    await writer.abort();
    expect((await full.list()).map((s) => s.id)).toEqual([kept.id]);
    expect(await full.verify(kept.id)).toMatchObject({ ok: true });
    // No partial chunk file: every chunk on disk opens and checks out.
    const pruned = await good.prune({ keepDaily: 7, keepMonthly: 6 });
    expect(pruned.removedBackups).toEqual([]);
    expect(await readdir(join(h.dir, 'tmp'))).toEqual([]);
    expect(await good.verify(kept.id)).toMatchObject({ ok: true });
  });

  it('a full disk while committing leaves no backup listed', async () => {
    const store = await h.open({ fs: fullDiskAfter(1024 * 1024, { failRenameOf: /manifests\/[^/]+\.json$/ }) });
    const writer = await store.beginBackup({ unit: 'u', profile: PROFILE, kind: 'backup' });
    await writer.addFile(fileEntry('/a', 3), streamOf(Buffer.from('abc')));
    expect(await codeOf(writer.commit())).toBe('DISK_FULL');
    expect(await store.list()).toEqual([]);
    expect((await readdir(join(h.dir, 'manifests'))).filter((n) => n.endsWith('.files.jsonl'))).toHaveLength(1);
    const other = await h.open();
    await other.prune({ keepDaily: 1, keepMonthly: 1 });
    expect(await readdir(join(h.dir, 'manifests'))).toEqual([]);
    expect(await packFiles(h.dir)).toEqual([]);
  });
});

describe('verify', () => {
  async function threeFiles(): Promise<{ store: Awaited<ReturnType<Harness['open']>>; id: string }> {
    // A pack per chunk: a chunk can be removed alone.
    const store = await h.open({ packSize: 1 });
    const writer = await store.beginBackup({ unit: 'u', profile: PROFILE, kind: 'backup' });
    for (const name of ['a', 'b', 'c']) {
      const data = seededBytes(name, 300 * 1024);
      await writer.addFile(fileEntry(`/opt/oht50/${name}.bin`, data.length), streamOf(data));
    }
    return { store, id: (await writer.commit()).id };
  }

  async function chunkOf(store: Awaited<ReturnType<Harness['open']>>, id: string, path: string): Promise<string> {
    const entry = (await store.getManifest(id)).entries.find((e) => e.path === path);
    return entry?.chunks[0]?.id ?? '';
  }

  it('names the file whose chunk has a flipped byte, and openFile refuses it', async () => {
    const { store, id } = await threeFiles();
    const chunk = await chunkOf(store, id, '/opt/oht50/b.bin');
    await damageChunk(h.dir, chunk, 'flip');
    const result = await store.verify(id);
    expect(result.ok).toBe(false);
    expect(result.checkedFiles).toBe(3);
    expect(result.problems).toEqual([
      {
        path: '/opt/oht50/b.bin',
        problem: 'chunk-damaged',
        message: expect.stringContaining('chunk 1') as string,
        chunk,
      },
    ]);
    expect(result.quarantined).toBe(1);
    expect(await codeOf(readAll(await store.openFile(id, '/opt/oht50/b.bin')))).toBe('BACKUP_DAMAGED');
    expect((await readAll(await store.openFile(id, '/opt/oht50/a.bin'))).length).toBe(300 * 1024);
  });

  it('a sample reads n files but still finds a missing chunk anywhere', async () => {
    const { store, id } = await threeFiles();
    expect(await store.verify(id, { sample: 1 })).toMatchObject({ ok: true, checkedFiles: 1, problems: [] });
    await damageChunk(h.dir, await chunkOf(store, id, '/opt/oht50/c.bin'), 'remove-pack');
    const result = await store.verify(id, { sample: 0 });
    expect(result).toMatchObject({ ok: false, checkedFiles: 0 });
    expect(result.problems.map((p) => [p.path, p.problem])).toEqual([['/opt/oht50/c.bin', 'chunk-missing']]);
    expect(result.problems[0]?.message).toContain('is missing');
  });

  it('a damaged manifest is not listed, and verify and getManifest say so', async () => {
    const { store, id } = await threeFiles();
    expect((await store.getManifest(id)).entries).toHaveLength(3); // read once, so it is cached
    const header = join(h.dir, 'manifests', `${id}.json`);
    await writeFile(header, (await readFile(header, 'utf8')).replace('"files":3', '"files":4'));
    expect(await store.list()).toEqual([]);
    expect(await codeOf(store.getManifest(id))).toBe('BACKUP_DAMAGED');
    expect(await store.verify(id)).toMatchObject({ ok: false, problems: [{ path: '', problem: 'manifest-damaged' }] });
    h.records.splice(0); // the warning about the unlisted manifest is expected
  });
});

describe('retention and concurrency', () => {
  function movableClock(iso: string): { clock: { now(): number; nowIso(): string }; set(iso: string): void } {
    let t = Date.parse(iso);
    return {
      clock: { now: () => t, nowIso: () => new Date(t).toISOString() },
      set: (next) => {
        t = Date.parse(next);
      },
    };
  }

  it('keeps the newest backup of N days and M months per unit, snapshots by age, and frees their chunks', async () => {
    const c = movableClock('2026-01-01T00:00:00Z');
    const store = await h.open({ clock: c.clock });
    const made = new Map<string, string>();
    const backup = async (unit: string, iso: string, kind: 'backup' | 'snapshot' = 'backup'): Promise<void> => {
      c.set(iso);
      const data = seededBytes(`${unit}-${iso}`, 100 * 1024);
      const w = await store.beginBackup({ unit, profile: PROFILE, kind });
      await w.addFile(fileEntry('/opt/oht50/data.bin', data.length), streamOf(data));
      made.set(`${unit} ${iso}`, (await w.commit()).id);
    };
    await backup('a', '2026-09-15T10:00:00Z');
    await backup('a', '2026-10-20T10:00:00Z');
    await backup('a', '2026-10-31T09:00:00Z');
    await backup('a', '2026-11-26T08:00:00Z');
    await backup('a', '2026-11-27T08:00:00Z');
    await backup('a', '2026-11-28T08:00:00Z');
    await backup('a', '2026-11-28T15:00:00Z');
    await backup('a', '2026-10-01T12:00:00Z', 'snapshot');
    await backup('a', '2026-11-20T12:00:00Z', 'snapshot');
    await backup('b', '2026-06-01T10:00:00Z');
    await backup('b', '2026-06-01T11:00:00Z', 'snapshot');

    const now = Date.parse('2026-11-28T16:00:00Z');
    const dry = await store.prune({ keepDaily: 2, keepMonthly: 2, now, dryRun: true });
    expect((await store.list()).length).toBe(11);
    const chunksBefore = (await chunkIds(h.dir)).length;
    const result = await store.prune({ keepDaily: 2, keepMonthly: 2, now });
    expect(result.removedBackups.sort()).toEqual(dry.removedBackups.sort());
    const kept = new Set((await store.list()).map((s) => s.id));
    const keptKeys = [...made].filter(([, id]) => kept.has(id)).map(([key]) => key);
    expect(keptKeys.sort()).toEqual(
      [
        'a 2026-10-31T09:00:00Z', // newest of October (monthly)
        'a 2026-11-27T08:00:00Z', // daily
        'a 2026-11-28T15:00:00Z', // newest of today: daily and monthly
        'a 2026-11-20T12:00:00Z', // snapshot younger than 30 days
        'b 2026-06-01T10:00:00Z', // a unit's newest backup always stays
        'b 2026-06-01T11:00:00Z', // and its newest snapshot
      ].sort(),
    );
    expect(result.keptBackups).toBe(6);
    expect(result.removedChunks).toBe(chunksBefore - (await chunkIds(h.dir)).length);
    expect(result.removedChunks).toBeGreaterThanOrEqual(5);
    expect(result.freedBytes).toBeGreaterThan(5 * 100 * 1024 * 0.9);
    expect(result.freedBytes).toBe(dry.freedBytes);
    for (const id of kept) {
      expect(await store.verify(id)).toMatchObject({ ok: true });
    }
    const stats = await store.stats();
    expect(stats.chunks).toBe(chunksBefore - result.removedChunks);
    expect(stats.logicalBytes).toBe(6 * 100 * 1024);
  });

  it('refuses retention counts that are not whole numbers of 0 or more', async () => {
    const store = await h.open();
    expect(await codeOf(store.prune({ keepDaily: -1, keepMonthly: 1 }))).toBe('VALIDATION');
    expect(await codeOf(store.prune({ keepDaily: 1, keepMonthly: 1.5 }))).toBe('VALIDATION');
    expect(await codeOf(store.prune({ keepDaily: 1, keepMonthly: 1, keepSnapshotDays: Number.NaN }))).toBe(
      'VALIDATION',
    );
  });

  it('two units back up into one store at the same time; prune waits for both', async () => {
    const store = await h.open();
    const shared = seededBytes('shared-fw', 4 * 1024 * 1024);
    const w1 = await store.beginBackup({ unit: 'unit-01', profile: PROFILE, kind: 'backup' });
    const w2 = await store.beginBackup({ unit: 'unit-02', profile: PROFILE, kind: 'backup' });
    expect(await codeOf(store.prune({ keepDaily: 1, keepMonthly: 1 }))).toBe('CONFLICT');
    const other = await h.open();
    expect(await codeOf(other.prune({ keepDaily: 1, keepMonthly: 1 }))).toBe('CONFLICT');
    const [r1, r2] = await Promise.all([
      w1.addFile(fileEntry('/fw', shared.length), streamOf(shared, 8192)),
      w2.addFile(fileEntry('/fw', shared.length), streamOf(shared, 65536)),
    ]);
    await Promise.all([
      w1.addFile(fileEntry('/own', 2), streamOf(Buffer.from('01'))),
      w2.addFile(fileEntry('/own', 2), streamOf(Buffer.from('02'))),
    ]);
    const [s1, s2] = await Promise.all([w1.commit(), w2.commit()]);
    expect((r1?.newBytes ?? 0) + (r2?.newBytes ?? 0)).toBe(shared.length);
    expect(await store.verify(s1.id)).toMatchObject({ ok: true, checkedFiles: 2 });
    expect(await store.verify(s2.id)).toMatchObject({ ok: true, checkedFiles: 2 });
    expect((await readAll(await store.openFile(s2.id, '/own'))).toString()).toBe('02');
    expect((await store.stats()).uniqueBytes).toBe(shared.length + 4);
    expect((await other.prune({ keepDaily: 1, keepMonthly: 1 })).removedBackups).toEqual([]);
    expect(await stat(join(h.dir, 'locks'))).toBeTruthy();
  });
});

describe('adding a file by reference to an earlier backup', () => {
  type Store = Awaited<ReturnType<Harness['open']>>;
  const FW = '/opt/oht50/firmware/oht50_main';
  const ENV = '/opt/oht50/backend/.env';

  /** A committed backup of unit 'u' with a multi-chunk firmware, a small config, a secret and a folder. */
  async function earlier(store: Store): Promise<{ id: string; firmware: Buffer; env: Buffer }> {
    const firmware = seededBytes('fw-reuse', 3 * 1024 * 1024 + 5);
    const env = Buffer.from('JWT_SECRET=reuse-me-please\n');
    const config = Buffer.from('unit: u\n');
    const writer = await store.beginBackup({ unit: 'u', profile: PROFILE, kind: 'backup' });
    await writer.addFile(dirEntry('/opt/oht50'));
    await writer.addFile(fileEntry(FW, firmware.length, { mode: 0o755 }), streamOf(firmware));
    await writer.addFile(fileEntry('/etc/oht50/system.yaml', config.length), streamOf(config));
    await writer.addFile(fileEntry(ENV, env.length, { mode: 0o600, secret: true }), streamOf(env));
    return { id: (await writer.commit()).id, firmware, env };
  }

  async function entryOf(store: Store, id: string, path: string) {
    const entry = (await store.getManifest(id)).entries.find((e) => e.path === path);
    if (entry === undefined) {
      throw new Error(`${path} is not in ${id}`);
    }
    return entry;
  }

  it("copies the earlier entry's hash, size and chunks exactly, writes nothing, and the new backup verifies", async () => {
    const store = await h.open();
    const { id: a, firmware } = await earlier(store);
    const chunksBefore = await chunkIds(h.dir);
    const packsBefore = await packFiles(h.dir);
    const writer = await store.beginBackup({ unit: 'u', profile: PROFILE, kind: 'backup' });
    // The unit's metadata is the new one (mode and owner changed since); the content is the earlier backup's.
    const entry = fileEntry(FW, firmware.length, { mode: 0o700, uid: 0, gid: 0, owner: 'root', group: 'root' });
    const result = await writer.reuseFile(entry, { fromBackupId: a, path: FW });
    expect(result).toEqual({
      reused: true,
      sha256: sha256(firmware),
      size: firmware.length,
      newBytes: 0,
      storedBytes: 0,
    });
    const summary = await writer.commit();
    expect(summary).toMatchObject({ files: 1, bytes: firmware.length, newBytes: 0, storedBytes: 0, hasSecrets: false });

    const before = await entryOf(store, a, FW);
    const after = await entryOf(store, summary.id, FW);
    expect(before.chunks.length).toBeGreaterThan(1);
    expect(after).toEqual({ ...before, mode: 0o700, uid: 0, gid: 0, owner: 'root', group: 'root' });
    expect(await chunkIds(h.dir)).toEqual(chunksBefore);
    expect(await packFiles(h.dir)).toEqual(packsBefore);
    expect(await store.verify(summary.id)).toEqual(cleanVerify(1));
    expect((await readAll(await store.openFile(summary.id, FW))).equals(firmware)).toBe(true);
  });

  it('checks chunks are present but never reads them: a chunk damaged on disk is referenced, and verify finds it', async () => {
    const store = await h.open();
    const { id: a, firmware } = await earlier(store);
    await damageChunk(h.dir, (await entryOf(store, a, FW)).chunks[1]?.id ?? '', 'flip');
    const writer = await store.beginBackup({ unit: 'u', profile: PROFILE, kind: 'backup' });
    expect(await writer.reuseFile(fileEntry(FW, firmware.length), { fromBackupId: a, path: FW })).toMatchObject({
      reused: true,
    });
    const { id: b } = await writer.commit();
    expect(await store.verify(b)).toMatchObject({ ok: false, problems: [{ path: FW, problem: 'chunk-damaged' }] });
  });

  it('is refused when a chunk is gone; the writer stays usable and the file is added with its content', async () => {
    // A pack per chunk: one chunk can go alone.
    const store = await h.open({ packSize: 1 });
    const { id: a, firmware } = await earlier(store);
    const lost = (await entryOf(store, a, FW)).chunks[2]?.id ?? '';
    const lostPack = (await indexedChunks(h.dir)).get(lost)?.pack;
    await damageChunk(h.dir, lost, 'remove-pack');
    const writer = await store.beginBackup({ unit: 'u', profile: PROFILE, kind: 'backup' });
    const refused = await writer.reuseFile(fileEntry(FW, firmware.length), { fromBackupId: a, path: FW });
    expect(refused).toMatchObject({ reused: false, reason: 'chunk-missing' });
    expect(refused.reused ? '' : refused.message).toContain('chunk 3');
    // Nothing was recorded: the same path can be added from the unit, which brings the lost chunk back.
    const added = await writer.addFile(fileEntry(FW, firmware.length), streamOf(firmware));
    expect(added.newBytes).toBeGreaterThan(0);
    expect(added.newBytes).toBeLessThan(firmware.length);
    const summary = await writer.commit();
    expect(summary.files).toBe(1);
    expect(await store.verify(summary.id)).toMatchObject({ ok: true, checkedFiles: 1 });
    expect(await store.verify(a)).toMatchObject({ ok: true });
    const again = (await indexedChunks(h.dir)).get(lost);
    expect(again?.pack).not.toBe(lostPack);
    expect(await stat(packPathOf(h.dir, again?.pack ?? ''))).toBeTruthy();
  });

  it('is refused when the earlier backup is gone, damaged or does not hold a matching file', async () => {
    const c = { t: Date.parse('2026-11-28T08:00:00Z') };
    const store = await h.open({ clock: { now: () => c.t, nowIso: () => new Date(c.t).toISOString() } });
    const { id: a, firmware, env } = await earlier(store);
    c.t += 3600_000;
    const { id: newer } = await earlier(store);
    const writer = await store.beginBackup({ unit: 'u', profile: PROFILE, kind: 'backup' });
    const reasonOf = async (entry: FileEntryInput, fromBackupId: string, path = entry.path) => {
      const r = await writer.reuseFile(entry, { fromBackupId, path });
      return r.reused ? 'reused' : r.reason;
    };
    expect(await reasonOf(fileEntry('/etc/oht50/other.yaml', 8), newer)).toBe('entry-missing');
    expect(await reasonOf(fileEntry('/opt/oht50', 0), newer)).toBe('not-a-file');
    expect(await reasonOf(fileEntry(FW, firmware.length + 1), newer)).toBe('size-differs');
    // A plain file is never referenced as a secret one (its chunks are not encrypted), nor the other way round.
    expect(await reasonOf(fileEntry(FW, firmware.length, { secret: true }), newer)).toBe('secret-differs');
    expect(await reasonOf(fileEntry(ENV, env.length), newer)).toBe('secret-differs');
    expect(await reasonOf(fileEntry(FW, firmware.length), '20260101T000000Z-nope-00000000')).toBe('backup-missing');
    expect(await reasonOf(fileEntry(FW, firmware.length), '../../etc/passwd')).toBe('backup-missing');
    expect(await reasonOf(fileEntry(FW, firmware.length), writer.id)).toBe('backup-missing');
    await writer.abort();

    // The older backup pruned (the newer one of the same day is kept): it cannot be referenced any more.
    expect((await store.prune({ keepDaily: 1, keepMonthly: 0 })).removedBackups).toEqual([a]);
    const next = await store.beginBackup({ unit: 'u', profile: PROFILE, kind: 'backup' });
    const gone = await next.reuseFile(fileEntry(FW, firmware.length), { fromBackupId: a, path: FW });
    expect(gone).toMatchObject({ reused: false, reason: 'backup-missing' });
    // A manifest altered on disk is not trusted.
    const files = join(h.dir, 'manifests', `${newer}.files.jsonl`);
    await writeFile(files, (await readFile(files, 'utf8')).replace('"mode":493', '"mode":511'));
    const damagedOne = await next.reuseFile(fileEntry(FW, firmware.length), { fromBackupId: newer, path: FW });
    expect(damagedOne).toMatchObject({ reused: false, reason: 'backup-damaged' });
    expect((await next.commit()).files).toBe(0);
  });

  it('refuses what addFile refuses: a folder, a path given twice, a closed writer', async () => {
    const store = await h.open();
    const { id: a, firmware } = await earlier(store);
    const writer = await store.beginBackup({ unit: 'u', profile: PROFILE, kind: 'backup' });
    expect(await codeOf(writer.reuseFile(dirEntry('/opt/oht50'), { fromBackupId: a, path: '/opt/oht50' }))).toBe(
      'VALIDATION',
    );
    expect(await codeOf(writer.reuseFile(fileEntry('/a/../b', 1), { fromBackupId: a, path: FW }))).toBe('UNSAFE_PATH');
    await writer.reuseFile(fileEntry(FW, firmware.length), { fromBackupId: a, path: FW });
    expect(await codeOf(writer.reuseFile(fileEntry(FW, firmware.length), { fromBackupId: a, path: FW }))).toBe(
      'CONFLICT',
    );
    expect(await codeOf(writer.addFile(fileEntry(FW, firmware.length), streamOf(firmware)))).toBe('CONFLICT');
    await writer.abort();
    expect(await codeOf(writer.reuseFile(fileEntry(FW, firmware.length), { fromBackupId: a, path: FW }))).toBe(
      'PRECONDITION_FAILED',
    );
  });

  it('keeps the referenced chunks through a prune: none runs while the writer is open, none collects them after', async () => {
    const c = { t: Date.parse('2026-11-28T08:00:00Z') };
    const store = await h.open({ clock: { now: () => c.t, nowIso: () => new Date(c.t).toISOString() } });
    const { id: a, firmware, env } = await earlier(store);
    c.t += 3600_000;
    const writer = await store.beginBackup({ unit: 'u', profile: PROFILE, kind: 'backup' });
    await writer.reuseFile(fileEntry(FW, firmware.length), { fromBackupId: a, path: FW });
    await writer.reuseFile(fileEntry(ENV, env.length, { secret: true }), { fromBackupId: a, path: ENV });
    // A prune now (this process or another) would find `a` as the only backup and keep everything; what matters is
    // that it cannot run at all between the reference and the commit.
    expect(await codeOf(store.prune({ keepDaily: 0, keepMonthly: 0 }))).toBe('CONFLICT');
    const other = await h.open();
    expect(await codeOf(other.prune({ keepDaily: 0, keepMonthly: 0 }))).toBe('CONFLICT');
    const { id: b } = await writer.commit();

    // The older backup goes (same day, the newer is kept): its chunks stay, for b references them.
    const pruned = await other.prune({ keepDaily: 1, keepMonthly: 0 });
    expect(pruned.removedBackups).toEqual([a]);
    // Only the config, which b did not take, is dead: a few bytes in a pack b needs, left there (below the share of
    // dead bytes that has a pack rewritten).
    expect(pruned).toMatchObject({ removedChunks: 0, removedPacks: 0 });
    expect((await other.list()).map((s) => s.id)).toEqual([b]);
    expect(await other.verify(b)).toEqual({ ok: true, checkedFiles: 2, problems: [], sharedWith: [], quarantined: 0 });
    expect((await readAll(await other.openFile(b, FW))).equals(firmware)).toBe(true);
    expect((await readAll(await other.openFile(b, ENV))).equals(env)).toBe(true);
  });

  it('reuses a secret file: its chunks as they are, its hash sealed again to the new backup and path', async () => {
    const store = await h.open();
    const { id: a, env } = await earlier(store);
    const writer = await store.beginBackup({ unit: 'u', profile: PROFILE, kind: 'backup' });
    const moved = '/etc/oht50/backend.env';
    const result = await writer.reuseFile(fileEntry(moved, env.length, { mode: 0o600, secret: true }), {
      fromBackupId: a,
      path: ENV,
    });
    expect(result).toEqual({ reused: true, sha256: sha256(env), size: env.length, newBytes: 0, storedBytes: 0 });
    const summary = await writer.commit();
    expect(summary.hasSecrets).toBe(true);

    const before = await entryOf(store, a, ENV);
    const after = await entryOf(store, summary.id, moved);
    expect(after).toEqual({ ...before, path: moved });
    expect(after.sha256).toBe(sha256(env));
    // On disk the hash is sealed, and not with the earlier backup's seal (that one is bound to its id and path).
    const stored = (id: string) =>
      readFile(join(h.dir, 'manifests', `${id}.files.jsonl`), 'utf8').then((text) =>
        text
          .split('\n')
          .filter((l) => l.includes('"secret":true'))
          .map((l) => (JSON.parse(l) as { entry: { sha256: string | null; sealedSha256: string } }).entry),
      );
    const [sealedBefore] = await stored(a);
    const [sealedAfter] = await stored(summary.id);
    expect(sealedAfter?.sha256).toBeNull();
    expect(sealedAfter?.sealedSha256).toMatch(/^[A-Za-z0-9+/]+=*$/);
    expect(sealedAfter?.sealedSha256).not.toBe(sealedBefore?.sealedSha256);
    expect(await readFile(join(h.dir, 'manifests', `${summary.id}.files.jsonl`), 'utf8')).not.toContain(sha256(env));
    expect((await readAll(await store.openFile(summary.id, moved))).equals(env)).toBe(true);
    expect(await store.verify(summary.id)).toEqual(cleanVerify(1));
  });

  it('needs the passphrase for a secret file, as addFile does, and a wrong one refuses before anything', async () => {
    const { id: a, env, firmware } = await earlier(await h.open());
    for (const [provider, code] of [
      [staticKeyProvider(null), 'PASSPHRASE_MISSING'],
      [staticKeyProvider('not the passphrase'), 'PASSPHRASE_WRONG'],
    ] as const) {
      const store = await h.open({ keyProvider: provider });
      const writer = await store.beginBackup({ unit: 'u', profile: PROFILE, kind: 'backup' });
      expect(
        await codeOf(writer.reuseFile(fileEntry(ENV, env.length, { secret: true }), { fromBackupId: a, path: ENV })),
      ).toBe(code);
      // Plain files are referenced without it.
      expect(await writer.reuseFile(fileEntry(FW, firmware.length), { fromBackupId: a, path: FW })).toMatchObject({
        reused: true,
      });
      const summary = await writer.commit();
      expect(summary).toMatchObject({ files: 1, hasSecrets: false });
    }
  });
});
