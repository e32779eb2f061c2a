import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import { runCli } from '../../../electron/cli/main';
import { createCore, type Core } from '../../../electron/core/createCore';
import { defaultAuditKeySources, defaultKeyFile } from '../../../electron/core/history/auditKey';
import { silentLogger } from '../../../electron/core/ports/Logger';
import { SessionPassphrase } from '../../../electron/core/session/SessionPassphrase';
import { captureIo } from '../../support/cli/captureIo';

const UNIT = { name: 'u1', host: '10.0.0.1', user: 'oht', auth: { kind: 'key', keyPath: '/k' } };

describe("the technician's name on every audit row", () => {
  let dir: string;
  const env = { USER: 'root' };
  const cli = async (...argv: string[]) => {
    const io = captureIo(env);
    const code = await runCli([...argv, '--data-dir', dir], io);
    return { code, out: io.stdout(), err: io.stderr() };
  };
  const lastActor = async (): Promise<string | undefined> => {
    const core = await createCore({ dataDir: dir, face: 'cli', logger: silentLogger, env });
    try {
      return core.history.listAudit({ limit: 1 })[0]?.actor;
    } finally {
      await core.close();
    }
  };

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'ohtw-technician-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
    await rm(defaultKeyFile(dir), { force: true });
  });

  it('records the OS user, saying so, while no technician is set, and tells what it records', async () => {
    const got = await cli('config', 'get', 'technician');
    expect(got.out).toBe(
      'technician: not set; actions are recorded as "root (OS user; technician not set)". Set it: ohtw config set technician NAME\n',
    );
    expect((await cli('units', 'add', 'u1', '--host', '10.0.0.1', '--user', 'oht', '--key', '/k')).code).toBe(0);
    expect(await lastActor()).toBe('root (OS user; technician not set)');
  });

  it('records the name set once with ohtw config set technician on every later row', async () => {
    expect((await cli('config', 'set', 'technician', 'Nguyễn', 'Văn', 'An')).code).toBe(0);
    expect(await lastActor()).toBe('Nguyễn Văn An');
    expect((await cli('units', 'add', 'u1', '--host', '10.0.0.1', '--user', 'oht', '--key', '/k')).code).toBe(0);
    expect(await lastActor()).toBe('Nguyễn Văn An');
    expect((await cli('config', 'get', 'technician')).out).toContain('technician: Nguyễn Văn An');
    expect((await cli('config', 'set', 'technician', 'x')).code).toBe(64);
  });
});

describe('the store passphrase asked for where there is no real keyring', () => {
  let dir: string;
  let core: Core;

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'ohtw-unlock-'));
    const env = {};
    const passphrase = new SessionPassphrase(env);
    // As the desktop app on Linux's basic_text fallback: no keychain key, no key file made.
    core = await createCore({
      dataDir: dir,
      face: 'electron',
      logger: silentLogger,
      env,
      actor: 'tech-a',
      sessionPassphrase: passphrase,
      passphraseMustBeAsked: true,
      auditKeys: defaultAuditKeySources(env, dir, () => passphrase.get(), { createKeyFile: false }),
    });
  });
  afterEach(async () => {
    await core.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('records nothing until the passphrase is entered, then keys the chain with it', async () => {
    expect(await core.dispatch('session.get', {})).toMatchObject({
      ok: true,
      value: { passphrase: { needed: true, entered: false } },
    });
    expect(await core.dispatch('units.add', UNIT)).toMatchObject({ ok: false, error: { code: 'AUDIT_KEY_MISSING' } });
    expect(await core.dispatch('units.list', {})).toEqual({ ok: true, value: [] });
    expect(await core.dispatch('session.unlock', { passphrase: 'correct horse battery staple' })).toMatchObject({
      ok: true,
      value: { passphrase: { needed: false, entered: true } },
    });
    expect(await core.dispatch('units.add', UNIT)).toMatchObject({ ok: true });
    expect(await core.dispatch('audit.verify', {})).toMatchObject({
      ok: true,
      value: { ok: true, chain: { keyed: true, keySource: 'the store passphrase (OHTW_PASSPHRASE)' } },
    });
  });
});
