import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { builtinModules } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const root = path.resolve(import.meta.dirname, '../../..');
const requiresOf = (code: string): string[] =>
  [...new Set([...code.matchAll(/\brequire\(\s*["'`]([^"'`]+)["'`]\s*\)/g)].map((match) => match[1]!))].sort();

describe('scripts/build-electron.mjs', () => {
  let outdir = '';
  let main = '';
  let preload = '';

  beforeAll(async () => {
    outdir = await mkdtemp(path.join(tmpdir(), 'ohtw-build-electron-'));
    await promisify(execFile)(process.execPath, ['scripts/build-electron.mjs', '--outdir', outdir], { cwd: root });
    main = await readFile(path.join(outdir, 'main.cjs'), 'utf8');
    preload = await readFile(path.join(outdir, 'preload.cjs'), 'utf8');
  });
  afterAll(async () => {
    await rm(outdir, { recursive: true, force: true });
  });

  it('writes main.cjs and preload.cjs', async () => {
    expect((await stat(path.join(outdir, 'main.cjs'))).size).toBeGreaterThan(0);
    expect((await stat(path.join(outdir, 'preload.cjs'))).size).toBeGreaterThan(0);
  });

  it('leaves the sandboxed preload nothing to require but electron', () => {
    expect(requiresOf(preload)).toEqual(['electron']);
  });

  it('keeps electron and the native addons outside the main bundle', () => {
    // A package may ask for a Node built-in by its bare name (pg's require('crypto')): the main process has them all.
    const external = requiresOf(main).filter((name) => !name.startsWith('node:') && !builtinModules.includes(name));
    expect(external).toContain('electron');
    for (const name of external) {
      expect(['electron', 'better-sqlite3', 'ssh2', 'serialport', 'cpu-features', 'pg-native']).toContain(name);
    }
  });
});

describe('what tests load', () => {
  it.each([
    'electron/main/security.ts',
    'electron/main/harden.ts',
    'electron/main/appProtocol.ts',
    'electron/main/keychain.ts',
    'electron/main/paths.ts',
    'electron/main/ipc/registerIpcHandlers.ts',
    'electron/main/ipc/validateSender.ts',
    'electron/preload/bridge.ts',
  ])('%s never imports electron (its binary is absent where tests run)', async (file) => {
    const source = await readFile(path.join(root, file), 'utf8');
    expect(source).not.toMatch(/from\s+['"]electron['"]|require\(\s*['"]electron['"]\s*\)/);
  });
});
