import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { promisify } from 'node:util';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { readTar, tarStream } from '../../../../electron/core/backup/restore/tar';

const run = promisify(execFile);
let dir: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'ohtw-tar-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const sha = (data: Buffer): string => createHash('sha256').update(data).digest('hex');

describe('tar as GNU tar reads and writes it', () => {
  const longDir = `deep/${'d'.repeat(80)}/${'e'.repeat(80)}`;
  const files = new Map<string, Buffer>([
    ['a.txt', Buffer.from('hello\n')],
    ['empty', Buffer.alloc(0)],
    ['block', Buffer.alloc(512, 7)],
    [`${longDir}/${'f'.repeat(120)}.bin`, Buffer.from(Array.from({ length: 70_000 }, (_, i) => i % 251))],
  ]);

  it('GNU tar extracts what tarStream writes, long names included', async () => {
    const out = join(dir, 'out');
    await mkdir(join(out, longDir), { recursive: true });
    const archive = join(dir, 'a.tar');
    const members = [...files].map(([name, data]) => ({
      name,
      size: data.length,
      open: async () => Readable.from([data]),
    }));
    await pipeline(Readable.from(tarStream(members)), (await import('node:fs')).createWriteStream(archive));
    await run('tar', ['-x', '-f', archive, '-C', out]);
    for (const [name, data] of files) {
      expect(sha(await readFile(join(out, name)))).toBe(sha(data));
    }
  });

  it('a member whose content is shorter than announced fails the archive', async () => {
    const members = [{ name: 'x', size: 10, open: async () => Readable.from([Buffer.from('short')]) }];
    await expect(async () => {
      for await (const chunk of tarStream(members)) {
        void chunk;
      }
    }).rejects.toMatchObject({ code: 'BACKUP_DAMAGED' });
  });

  it('readTar reads what GNU tar writes (long names, empty files), skipping directories', async () => {
    const src = join(dir, 'src');
    for (const [name, data] of files) {
      await mkdir(join(src, name, '..'), { recursive: true });
      await writeFile(join(src, name), data);
    }
    const { stdout } = await run('tar', ['-c', '-f', '-', '-C', src, '.'], { encoding: 'buffer', maxBuffer: 1 << 24 });
    const seen = new Map<string, string>();
    await readTar(Readable.from([stdout]), async (name, size, content) => {
      const parts: Buffer[] = [];
      for await (const chunk of content as AsyncIterable<Buffer>) {
        parts.push(chunk);
      }
      const data = Buffer.concat(parts);
      expect(data.length).toBe(size);
      seen.set(name.replace(/^\.\//, ''), sha(data));
    });
    expect(seen).toEqual(new Map([...files].map(([name, data]) => [name, sha(data)])));
  });
});
