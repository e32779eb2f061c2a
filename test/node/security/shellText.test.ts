import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import { createCore, type Core } from '../../../electron/core/createCore';
import { raw, sh, shellQuote, shellWords } from '../../../electron/core/transport/shell';
import { systemctlShowCommand } from '../../../electron/core/diagnostics/systemdShow';
import { createCapturingLogger } from '../../support/fakes/captureLogger';

const HOSTILE = 'x;touch /tmp/INJECTED;#';

describe('the quoting helper', () => {
  it('quotes every interpolated value as one word, arrays as one word per element', () => {
    expect(sh`systemctl is-active ${HOSTILE}`).toBe(`systemctl is-active 'x;touch /tmp/INJECTED;#'`);
    expect(sh`ls ${['a b', "it's", '$(id)', '`id`', '']}`).toBe(`ls 'a b' 'it'\\''s' '$(id)' '\`id\`' ''`);
    expect(sh`head -n ${20} ${'/opt/oht50'}`).toBe('head -n 20 /opt/oht50');
    expect(shellWords(['-u', 'oht50-backend'])).toBe('-u oht50-backend');
    expect(shellQuote('-n')).toBe('-n');
  });

  it('splices only fragments that are shell text already, and refuses a number that is not one', () => {
    const inner = sh`cat ${'/etc/oht50/a b'}`;
    expect(sh`sudo -n sh -c ${inner}`).toBe(`sudo -n sh -c 'cat '\\''/etc/oht50/a b'\\'''`);
    expect(sh`${raw(inner)} || echo ${'no'}`).toBe(`cat '/etc/oht50/a b' || echo no`);
    expect(() => sh`sleep ${Number.NaN}`).toThrow(/not a number/);
  });

  it('keeps a hostile service name one inert argument of systemctl show', () => {
    expect(systemctlShowCommand([HOSTILE, 'oht50-firmware'])).toBe(
      `systemctl show --property=LoadState,ActiveState,SubState,Result,NRestarts,ActiveEnterTimestamp,InactiveEnterTimestamp,UnitFileState,ExecMainStatus,MainPID -- 'x;touch /tmp/INJECTED;#.service' oht50-firmware.service`,
    );
  });
});

describe('the vehicle profile at the contract', () => {
  let dataDir: string;
  let core: Core;

  beforeEach(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'ohtw-profile-'));
    core = await createCore({ dataDir, face: 'cli', logger: createCapturingLogger().logger, env: {} });
  });
  afterEach(async () => {
    await core.close();
    await rm(dataDir, { recursive: true, force: true });
  });

  const add = (profile: Record<string, unknown>) =>
    core.dispatch('units.add', {
      name: 'unit-7',
      host: '192.168.1.100',
      user: 'orangepi',
      auth: { kind: 'key', keyPath: '/keys/id' },
      profile,
    });

  it.each([
    [{ backendService: HOSTILE }, 'profile.backendService', /systemd service name/],
    [{ firmwareService: '-H evil.example' }, 'profile.firmwareService', /systemd service name/],
    [{ firmwareService: 'oht50.socket' }, 'profile.firmwareService', /not another kind of systemd unit/],
    [{ installDir: 'opt/oht50' }, 'profile.installDir', /absolute path/],
    [{ installDir: '/opt/../etc' }, 'profile.installDir', /normalized/],
    [{ installDir: '/opt//oht50/' }, 'profile.installDir', /normalized/],
    [{ estopGpioPath: '/sys/class/gpio/gpio59/value\n; reboot' }, 'profile.estopGpioPath', /control characters/],
    [{ backendPort: 0 }, 'profile.backendPort', /./],
    [{ firmwarePort: 65536 }, 'profile.firmwarePort', /./],
  ])('refuses %j with the field and the rule, and stores nothing', async (profile, field, rule) => {
    const result = await add(profile);
    expect(result.ok).toBe(false);
    const error = (result as { ok: false; error: { code: string; message: string } }).error;
    expect(error.code).toBe('VALIDATION');
    expect(error.message).toContain(field);
    expect(error.message).toMatch(rule);
    expect(await core.dispatch('units.list', {})).toEqual({ ok: true, value: [] });
  });

  it('takes the runbook names, a template instance and the newer build', async () => {
    const result = await add({
      backendService: 'oht50-backend',
      firmwareService: 'oht50@bus0',
      installDir: '/opt/oht50',
    });
    expect(result.ok).toBe(true);
  });
});
