import { execFile } from 'node:child_process';
import { chmod, cp, mkdir, mkdtemp, readFile, rm, symlink, utimes, writeFile } from 'node:fs/promises';
import { statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { resolveAppLayout } from '../../../electron/core/paths/appLayout';
import { cliBundlePaths, cliBundleState } from '../../../scripts/cli-bundle.mjs';

const run = promisify(execFile);
const ROOT = resolve(import.meta.dirname, '../../..');
const { bundle, inputs } = cliBundlePaths(ROOT);
const packageVersion = async (): Promise<string> =>
  (JSON.parse(await readFile(join(ROOT, 'package.json'), 'utf8')) as { version: string }).version;

let scratch = '';
beforeAll(async () => {
  scratch = await mkdtemp(join(tmpdir(), 'ohtw-built-cli-'));
});
afterAll(async () => {
  await rm(scratch, { recursive: true, force: true });
});

describe('the built CLI (dist/cli/ohtw.cjs)', () => {
  it('prints the package version compiled into the bundle, from any working directory', async () => {
    const { stdout } = await run(process.execPath, [bundle, '--version'], { cwd: scratch });
    expect(stdout.trim()).toBe(await packageVersion());
    expect(await readFile(bundle, 'utf8')).toContain(JSON.stringify(await packageVersion()));
  });

  it('finds the shipped procedures and register maps through the application layout', async () => {
    const dataDir = join(scratch, 'data-layout');
    const { stdout } = await run(process.execPath, [bundle, 'procedures', 'list', '--json', '--data-dir', dataDir], {
      cwd: scratch,
    });
    expect((JSON.parse(stdout) as { id: string }[]).map((p) => p.id)).toContain('emergency.estop');
  });

  it("draws a report's charts with the worker written beside the bundle", async () => {
    const out = join(scratch, 'site.html');
    const dataDir = join(scratch, 'data-report');
    await run(
      process.execPath,
      [bundle, 'report', 'site', '--since', '2026-01-01', '--format', 'html', '--out', out, '--data-dir', dataDir],
      { cwd: scratch },
    );
    expect((await readFile(out, 'utf8')).match(/<svg/g)?.length).toBeGreaterThan(0);
  });

  it("loads a command's modules only when that command runs", async () => {
    // Records which native packages get loaded: each belongs to the commands that need it.
    const hook = join(scratch, 'record-natives.cjs');
    await writeFile(
      hook,
      `const Module = require('node:module');
const load = Module._load;
const seen = new Set();
Module._load = function (request, ...rest) {
  if (/^(better-sqlite3|ssh2|serialport)$/.test(request)) seen.add(request);
  return load.call(this, request, ...rest);
};
process.on('exit', () => process.stderr.write('natives:' + [...seen].sort().join(',') + '\\n'));
`,
    );
    const natives = async (...args: string[]): Promise<string> => {
      const { stderr } = await run(process.execPath, ['-r', hook, bundle, ...args], { cwd: scratch });
      return /natives:(.*)/.exec(stderr)?.[1] ?? '?';
    };
    expect(await natives('--version')).toBe('');
    // The core opens the history (SQLite) and knows how to reach units (SSH); the serial port is the bus commands'.
    expect(await natives('units', 'list', '--data-dir', join(scratch, 'data-natives'))).toBe('better-sqlite3,ssh2');
  });
});

describe('bin/ohtw.js', () => {
  it('rebuilds a bundle older than its sources before running it', async () => {
    const source = join(ROOT, 'electron/cli/CliError.ts');
    const before = statSync(source);
    const builtBefore = (JSON.parse(await readFile(inputs, 'utf8')) as { builtAtMs: number }).builtAtMs;
    const touchedMs = Math.max(Date.now() - 50, builtBefore + 1);
    await utimes(source, before.atime, new Date(touchedMs));
    try {
      expect(cliBundleState(ROOT)).toEqual({ kind: 'stale', reason: 'electron/cli/CliError.ts changed' });
      const { stdout } = await run(process.execPath, [join(ROOT, 'bin/ohtw.js'), '--version'], { cwd: scratch });
      expect(stdout.trim()).toBe(await packageVersion());
      const builtAfter = (JSON.parse(await readFile(inputs, 'utf8')) as { builtAtMs: number }).builtAtMs;
      expect(builtAfter).toBeGreaterThan(builtBefore);
      expect(cliBundleState(ROOT)).toEqual({ kind: 'fresh' });
    } finally {
      await utimes(source, before.atime, before.mtime);
    }
  });
});

describe('the code cache beside the bundle', () => {
  it('is written by a run, and a damaged one is refused by V8 and written anew', async () => {
    const cache = `${bundle}.${process.versions.v8}.v8cache`;
    await rm(cache, { force: true });
    const version = async (): Promise<string> =>
      (await run(process.execPath, [join(ROOT, 'bin/ohtw.js'), '--version'], { cwd: scratch })).stdout.trim();
    expect(await version()).toBe(await packageVersion());
    expect(statSync(cache).size).toBeGreaterThan(1000);
    await writeFile(cache, 'not a code cache');
    expect(await version()).toBe(await packageVersion());
    expect(statSync(cache).size).toBeGreaterThan(1000);
  });
});

describe('cliBundleState', () => {
  const manifest = (builtAtMs: number, files: string[]): string => JSON.stringify({ builtAtMs, inputs: files });

  it('says missing, fresh, stale when a source changed, and stale when one is gone', async () => {
    const root = join(scratch, 'state');
    const outdir = join(root, 'out');
    await mkdir(join(root, 'src'), { recursive: true });
    expect(cliBundleState(root, outdir)).toEqual({ kind: 'missing' });
    await writeFile(join(root, 'src/a.ts'), 'export {};\n');
    await mkdir(outdir, { recursive: true });
    await writeFile(join(outdir, 'ohtw.cjs'), '');
    await writeFile(join(outdir, 'chartWorker.mjs'), '');
    const builtAtMs = Date.now();
    await utimes(join(root, 'src/a.ts'), new Date(builtAtMs - 5000), new Date(builtAtMs - 5000));
    await writeFile(join(outdir, 'ohtw.inputs.json'), manifest(builtAtMs, ['src/a.ts']));
    expect(cliBundleState(root, outdir)).toEqual({ kind: 'fresh' });
    await utimes(join(root, 'src/a.ts'), new Date(), new Date(builtAtMs + 1000));
    expect(cliBundleState(root, outdir)).toEqual({ kind: 'stale', reason: 'src/a.ts changed' });
    await writeFile(join(outdir, 'ohtw.inputs.json'), manifest(builtAtMs + 2000, ['src/a.ts', 'src/b.ts']));
    expect(cliBundleState(root, outdir)).toEqual({ kind: 'stale', reason: 'src/b.ts is gone' });
  });
});

describe('the CLI of the installed desktop app (packaging/bin/ohtw)', () => {
  it("runs the bundle from app.asar through the app's own executable (--ohtw-cli), never as plain Node", async () => {
    // The installed tree as electron-builder lays it out (app.asar stands unpacked here), with a stand-in for the
    // app's executable: it starts the app's main process as Electron does (here under Node, which the main
    // process's CLI mode never needs Electron for) and, as the packaged app's fuse does, refuses to be plain Node.
    const install = join(scratch, 'install');
    const app = join(install, 'resources', 'app.asar');
    await mkdir(join(app, 'dist', 'cli'), { recursive: true });
    await cp(bundle, join(app, 'dist', 'cli', 'ohtw.cjs'));
    await run(
      process.execPath,
      [join(ROOT, 'scripts', 'build-electron.mjs'), '--outdir', join(app, 'dist', 'electron')],
      {
        cwd: ROOT,
      },
    );
    await cp(join(ROOT, 'package.json'), join(app, 'package.json'));
    await symlink(join(ROOT, 'node_modules'), join(app, 'node_modules'));
    // resources/ is packed into app.asar (files) and copied beside it (extraResources).
    await cp(join(ROOT, 'resources'), join(app, 'resources'), { recursive: true });
    await cp(join(ROOT, 'resources'), join(install, 'resources', 'resources'), { recursive: true });
    await cp(join(ROOT, 'packaging', 'bin'), join(install, 'resources', 'bin'), { recursive: true });
    const electron = join(install, 'oht50-workstation');
    await writeFile(
      electron,
      `#!/bin/sh\n[ -z "\${ELECTRON_RUN_AS_NODE:-}" ] || exit 99\nexec ${process.execPath} "${join(app, 'dist', 'electron', 'main.cjs')}" "$@"\n`,
    );
    await chmod(electron, 0o755);

    const ohtw = join(install, 'resources', 'bin', 'ohtw');
    expect((await run(ohtw, ['--version'], { cwd: scratch })).stdout.trim()).toBe(await packageVersion());
    const dataDir = join(scratch, 'data-installed');
    const { stdout } = await run(ohtw, ['procedures', 'list', '--json', '--data-dir', dataDir], { cwd: scratch });
    expect((JSON.parse(stdout) as { id: string }[]).length).toBeGreaterThan(10);
    expect(resolveAppLayout({ anchorDir: join(app, 'dist', 'cli') })).toMatchObject({
      rootDir: app,
      rendererDir: join(app, 'dist', 'renderer'),
    });
    expect(
      resolveAppLayout({ anchorDir: join(app, 'dist', 'cli'), resourcesPath: join(install, 'resources') }),
    ).toMatchObject({ resourcesDir: join(install, 'resources', 'resources') });
  });

  it('is what electron-builder packs: the bundle in app.asar, the launchers in resources/bin', async () => {
    const config = await readFile(join(ROOT, 'electron-builder.yml'), 'utf8');
    expect(config).toMatch(/files:\n(?: {2}- .*\n| {2}#.*\n)*? {2}- dist\/\*\*/);
    expect(config).toMatch(/- from: packaging\/bin\/\n\s+to: bin\//);
  });
});
