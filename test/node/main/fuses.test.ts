import { readFile, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';

import { FuseV1Options, flipFuses, getCurrentFuseWire, type FuseConfig } from '@electron/fuses';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const root = path.resolve(import.meta.dirname, '../../..');
const require = createRequire(import.meta.url);
/** The fuse wire's bytes: ASCII '0' and '1'. */
const FuseState = { DISABLE: 0x30, ENABLE: 0x31 } as const;

/** electron-builder's own translation of `electronFuses` (what `npm run dist` does right before signing). */
async function builderFuseConfig(electronFuses: unknown): Promise<FuseConfig> {
  const { PlatformPackager } = require('app-builder-lib') as {
    PlatformPackager: { prototype: { generateFuseConfig(fuses: unknown): Promise<FuseConfig> } };
  };
  return PlatformPackager.prototype.generateFuseConfig.call({}, electronFuses);
}

/**
 * A stand-in for the Electron binary: what @electron/fuses looks for in it is the sentinel and the fuse wire after
 * it (version 1, eight fuses), set here as an Electron build ships them.
 */
function fakeElectronBinary(): Buffer {
  const SENTINEL = 'dL7pKGdnNz796PbbjQWNKmHXBZaB9tsX';
  const shipped = '10110001'; // RunAsNode on, cookies off, NODE_OPTIONS on, inspect on, asar checks off, …, file: privileges on
  return Buffer.concat([
    Buffer.from('\x7fELF fake electron'),
    Buffer.from(SENTINEL),
    Buffer.from([1, 8]),
    Buffer.from(shipped),
  ]);
}

describe('Electron fuses at packaging', () => {
  let dir = '';
  let wire: Awaited<ReturnType<typeof getCurrentFuseWire>>;

  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'ohtw-fuses-'));
    const binary = path.join(dir, 'oht50-workstation');
    await writeFile(binary, fakeElectronBinary());
    const { load } = require('js-yaml') as { load(text: string): { electronFuses?: unknown } };
    const config = load(await readFile(path.join(root, 'electron-builder.yml'), 'utf8'));
    await flipFuses(binary, await builderFuseConfig(config.electronFuses));
    wire = await getCurrentFuseWire(binary);
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it.each([
    ['RunAsNode', FuseV1Options.RunAsNode, FuseState.DISABLE],
    ['NODE_OPTIONS', FuseV1Options.EnableNodeOptionsEnvironmentVariable, FuseState.DISABLE],
    ['--inspect arguments', FuseV1Options.EnableNodeCliInspectArguments, FuseState.DISABLE],
    ['embedded asar integrity validation', FuseV1Options.EnableEmbeddedAsarIntegrityValidation, FuseState.ENABLE],
    ['only load the app from asar', FuseV1Options.OnlyLoadAppFromAsar, FuseState.ENABLE],
    ['extra privileges of file://', FuseV1Options.GrantFileProtocolExtraPrivileges, FuseState.DISABLE],
  ])('%s is set in the packaged binary', (_name, fuse, state) => {
    expect(wire[fuse]).toBe(state);
  });
});
