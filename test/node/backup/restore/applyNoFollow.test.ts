import { spawn } from 'node:child_process';
import { chmod, lchown, lstat, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';

import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import { buildApplyScript } from '../../../../electron/core/backup/restore/applyScript';
import type { ApplyPlan } from '../../../../electron/core/backup/restore/plan';
import type { RestoreScope } from '../../../../electron/core/backup/restore/scope';
import { tarStream } from '../../../../electron/core/backup/restore/tar';
import type { TreeEntry } from '../../../../electron/core/backup/restore/tree';

/**
 * The apply script runs as root on the unit, in folders the service's own user can write to. A service gone bad could
 * swap a path for a symlink to /etc/shadow at the worst moment, after every test the script makes; no chown or chmod
 * of the restore may then follow it. Here a wrapper around each tool the script calls does the swap right before the
 * tool runs (the worst moment there is), and the victim file must stay exactly as it was.
 */
let root: string;
let bin: string;
const isRoot = process.getuid?.() === 0;

const entry = (path: string, extra: Partial<TreeEntry> = {}): TreeEntry => ({
  path,
  type: 'file',
  mode: 0o640,
  uid: 1,
  gid: 1,
  owner: 'daemon',
  group: 'daemon',
  size: 6,
  sha256: 'a'.repeat(64),
  ...extra,
});

/** A wrapper in front of `tool` that first points its arguments matching the pattern at the victim. */
async function swapBefore(tool: string, argumentPattern: string): Promise<void> {
  const real = `/usr/bin/${tool}`;
  await writeFile(
    join(bin, tool),
    `#!/bin/sh
for arg; do
  case "$arg" in
    ${argumentPattern}) rm -rf -- "$arg"; ln -s ${join(root, 'victim')} "$arg" ;;
  esac
done
exec ${real} "$@"
`,
    { mode: 0o755 },
  );
}

async function runApply(plan: Partial<ApplyPlan>, contents: Record<string, string>): Promise<number> {
  const scope: RestoreScope = { roots: [join(root, 'cfg')], excludes: [], services: [], reloadPaths: [] };
  const apply: ApplyPlan = { removals: [], mkdirs: [], files: [], links: [], metadata: [], dirsToFinish: [], ...plan };
  const script = buildApplyScript(scope, apply, 'tx-nofollow');
  const staging = await mkdtemp(join(tmpdir(), 'ohtw-apply-'));
  await writeFile(join(staging, 'apply.sh'), script.text);
  const archive = Readable.from(
    tarStream(
      script.files.map(({ entry: e, temp }) => ({
        name: temp.slice(1),
        size: Buffer.byteLength(contents[e.path] ?? ''),
        owner: { mode: e.mode, uid: e.uid, gid: e.gid, uname: e.owner, gname: e.group },
        open: () => Promise.resolve(Readable.from([Buffer.from(contents[e.path] ?? '')])),
      })),
    ),
  );
  const child = spawn('sh', [join(staging, 'apply.sh')], {
    env: { ...process.env, PATH: `${bin}:/usr/bin:/bin:/usr/sbin:/sbin` },
    stdio: ['pipe', 'ignore', 'ignore'],
  });
  archive.pipe(child.stdin);
  const code = await new Promise<number>((resolve) => child.on('close', (c) => resolve(c ?? -1)));
  await rm(staging, { recursive: true, force: true });
  return code;
}

async function victimState(): Promise<string> {
  const s = await lstat(join(root, 'victim'));
  return `${(s.mode & 0o7777).toString(8)} ${s.uid}:${s.gid} ${await readFile(join(root, 'victim'), 'utf8')}`;
}

beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), 'ohtw-nofollow-'));
  bin = join(root, 'bin');
  await mkdir(bin);
  await mkdir(join(root, 'cfg', 'sub'), { recursive: true });
  await writeFile(join(root, 'victim'), 'shadow\n');
  await chmod(join(root, 'victim'), 0o600);
});
afterEach(async () => {
  await rm(root, { recursive: true, force: true });
});

describe.skipIf(!isRoot)('the apply script never follows a symlink swapped in after its tests', () => {
  it('a file gets its owner and mode from tar on the file it made: no chown or chmod by path at all', async () => {
    const plan = { files: [entry(join(root, 'cfg', 'a.yaml'))] };
    expect(
      buildApplyScript(
        { roots: [root], excludes: [], services: [], reloadPaths: [] },
        { removals: [], mkdirs: [], links: [], metadata: [], dirsToFinish: [], ...plan },
        't',
      ).text,
    ).not.toMatch(/^(chown|chmod) .*a\.yaml/m);
    expect(await runApply(plan, { [join(root, 'cfg', 'a.yaml')]: 'a: 1\n' })).toBe(0);
    const made = await lstat(join(root, 'cfg', 'a.yaml'));
    expect([(made.mode & 0o7777).toString(8), made.uid, made.gid]).toEqual(['640', 1, 1]);
  });

  it('a temporary file swapped for a link before the rename: the link is renamed, the victim is untouched', async () => {
    const before = await victimState();
    await swapBefore('mv', `${join(root, 'cfg')}/.ohtw-*`);
    await runApply({ files: [entry(join(root, 'cfg', 'a.yaml'))] }, { [join(root, 'cfg', 'a.yaml')]: 'a: 1\n' });
    // The restore's check of the tree afterwards finds a link where the file should be, and rolls back.
    expect((await lstat(join(root, 'cfg', 'a.yaml'))).isSymbolicLink()).toBe(true);
    expect(await victimState()).toBe(before);
  });

  it('a folder swapped for a link before chown -h and before its mode is set: the victim keeps owner and mode', async () => {
    const before = await victimState();
    const sub = entry(join(root, 'cfg', 'sub'), { type: 'dir', mode: 0o777, size: 0, sha256: '' });
    await swapBefore('chown', join(root, 'cfg', 'sub'));
    expect(await runApply({ dirsToFinish: [sub] }, {})).not.toBe(0);
    expect(await victimState()).toBe(before);

    // The same swap just before the mode is set (perl opens it with O_NOFOLLOW and refuses the link).
    await rm(join(root, 'cfg', 'sub'), { recursive: true, force: true });
    await mkdir(join(root, 'cfg', 'sub'));
    await rm(join(bin, 'chown'));
    await swapBefore('perl', join(root, 'cfg', 'sub'));
    expect(await runApply({ dirsToFinish: [sub] }, {})).not.toBe(0);
    expect(await victimState()).toBe(before);
  });

  it('a link whose owner changes is changed itself (chown -h), never what it points at', async () => {
    const before = await victimState();
    const link = join(root, 'cfg', 'current');
    const { symlink } = await import('node:fs/promises');
    await symlink(join(root, 'victim'), link);
    await lchown(link, 0, 0);
    const code = await runApply(
      { metadata: [entry(link, { type: 'symlink', size: 0, sha256: '', linkTarget: join(root, 'victim') })] },
      {},
    );
    expect(code).toBe(0);
    expect((await lstat(link)).uid).toBe(1);
    expect(await victimState()).toBe(before);
  });
});
