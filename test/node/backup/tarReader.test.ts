import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { chmod, lchown, mkdir, mkdtemp, rm, symlink, utimes, writeFile, link } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { readTar, type TarEntry } from '../../../electron/core/backup/remote/tarReader';

let dir: string;

/** GNU tar's output for `names` under `dir`, as bytes. */
function tarOf(args: string[]): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const child = spawn('tar', ['-c', '-f', '-', '-C', dir, ...args]);
    const chunks: Buffer[] = [];
    child.stdout.on('data', (c: Buffer) => chunks.push(c));
    child.on('error', reject);
    child.on('close', (code) =>
      code === 0 ? resolve(Buffer.concat(chunks)) : reject(new Error(`tar exited ${code}`)),
    );
  });
}

type Seen = TarEntry & { sha256: string; read: number };

async function readAll(bytes: Buffer, chunkSize = 7001): Promise<Seen[]> {
  const seen: Seen[] = [];
  const chunks: Buffer[] = [];
  for (let i = 0; i < bytes.length; i += chunkSize) {
    chunks.push(bytes.subarray(i, i + chunkSize));
  }
  await readTar(Readable.from(chunks), async (entry, content) => {
    const hash = createHash('sha256');
    let read = 0;
    for await (const chunk of content) {
      hash.update(chunk);
      read += chunk.length;
    }
    seen.push({ ...entry, sha256: hash.digest('hex'), read });
  });
  return seen;
}

const big = Buffer.alloc(3 * 1024 * 1024 + 17);
for (let i = 0; i < big.length; i += 1) {
  big[i] = (i * 31 + (i >> 9)) & 0xff;
}
const longName = `${'deep-folder-name/'.repeat(8)}${'a'.repeat(120)}.yaml`;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'ohtw-tar-'));
  await mkdir(join(dir, 'root/etc'), { recursive: true });
  await writeFile(join(dir, 'root/etc/modules.yaml'), 'modules: []\n');
  await chmod(join(dir, 'root/etc/modules.yaml'), 0o640);
  await lchown(join(dir, 'root/etc/modules.yaml'), 1234, 5678);
  await writeFile(join(dir, 'root/empty'), '');
  await writeFile(join(dir, 'root/big.bin'), big);
  await link(join(dir, 'root/big.bin'), join(dir, 'root/big-link.bin'));
  await symlink('../elsewhere/target', join(dir, 'root/etc/current'));
  await mkdir(join(dir, 'root', longName.split('/').slice(0, -1).join('/')), { recursive: true });
  await writeFile(join(dir, 'root', longName), 'long\n');
  await chmod(join(dir, 'root/etc'), 0o2750);
  await utimes(join(dir, 'root/empty'), 1_700_000_000, 1_700_000_000);
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('the tar reader', () => {
  for (const format of ['gnu', 'posix', 'ustar']) {
    it(`reads GNU tar's ${format} format: types, modes, owners, times, long names and content`, async () => {
      const extra = format === 'ustar' ? [] : ['--hard-dereference'];
      const names = format === 'ustar' ? ['root/etc', 'root/empty', 'root/big.bin'] : ['root'];
      const seen = await readAll(await tarOf([`--format=${format}`, ...extra, ...names]));
      const byName = new Map(seen.map((e) => [e.name, e]));
      expect(byName.get('root/etc')).toMatchObject({ type: 'dir', mode: 0o2750 });
      expect(byName.get('root/etc/modules.yaml')).toMatchObject({
        type: 'file',
        mode: 0o640,
        uid: 1234,
        gid: 5678,
        size: 12,
        read: 12,
        sha256: createHash('sha256').update('modules: []\n').digest('hex'),
      });
      expect(byName.get('root/empty')).toMatchObject({ type: 'file', size: 0, read: 0, mtimeMs: 1_700_000_000_000 });
      const bigSha = createHash('sha256').update(big).digest('hex');
      expect(byName.get('root/big.bin')).toMatchObject({ type: 'file', size: big.length, sha256: bigSha });
      if (format !== 'ustar') {
        expect(byName.get('root/etc/current')).toMatchObject({ type: 'symlink', linkName: '../elsewhere/target' });
        expect(byName.get(`root/${longName}`)).toMatchObject({ type: 'file', size: 5 });
        // --hard-dereference: the second name of a hard link carries the content too.
        expect(byName.get('root/big-link.bin')).toMatchObject({ type: 'file', sha256: bigSha });
      }
    });
  }

  it('reports a hard link as such without --hard-dereference', async () => {
    const seen = await readAll(await tarOf(['root/big.bin', 'root/big-link.bin']));
    expect(seen.map((e) => [e.name, e.type])).toEqual([
      ['root/big.bin', 'file'],
      ['root/big-link.bin', 'hardlink'],
    ]);
  });

  it('refuses a truncated archive and a damaged header', async () => {
    const whole = await tarOf(['root']);
    await expect(readAll(whole.subarray(0, 700_000))).rejects.toThrow(/damaged: it ends/);
    const broken = Buffer.from(whole);
    broken[10] = (broken[10] as number) ^ 0x41;
    await expect(readAll(broken)).rejects.toThrow(/header checksum does not match at byte 0/);
  });

  it('skips content a consumer leaves unread, and passes its errors on', async () => {
    const whole = await tarOf(['root/big.bin', 'root/empty']);
    const names: string[] = [];
    await readTar(Readable.from([whole]), async (entry) => {
      names.push(entry.name);
    });
    expect(names).toEqual(['root/big.bin', 'root/empty']);
    await expect(
      readTar(Readable.from([whole]), async () => {
        throw new Error('disk full');
      }),
    ).rejects.toThrow('disk full');
  });
});
