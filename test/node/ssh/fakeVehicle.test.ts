import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import type { Connection } from '../../../electron/core/transport/transport';
import { startSshd } from '../../support/sshd/startSshd';
import type { SshdFixture } from '../../support/sshd/startSshd';
import { connectTo } from './sshTestKit';

let sshd: SshdFixture;
let connection: Connection;

beforeAll(async () => {
  sshd = await startSshd();
  connection = await connectTo(sshd);
});

afterAll(async () => {
  await connection?.close();
  await sshd?.stop();
});

const run = (command: string, sudo = false) => connection.exec(command, { timeoutMs: 5000, sudo });

describe('the fake vehicle behind the test sshd', () => {
  it('puts its tools first on the PATH, with and without sudo', async () => {
    const plain = await run('command -v systemctl');
    expect(plain.stdout).toBe(`${sshd.vehicleDir}/bin/systemctl\n`);
    const root = await run('command -v systemctl', true);
    expect(root.stdout).toBe(`${sshd.vehicleDir}/bin/systemctl\n`);
  });

  it('reports a service set with setService, with or without .service', async () => {
    await sshd.setService('oht50-backend', {
      ActiveState: 'failed',
      SubState: 'failed',
      Result: 'exit-code',
      NRestarts: '4',
    });
    const short = await run('systemctl show --property=ActiveState,SubState,Result,NRestarts,LoadState oht50-backend');
    expect(short).toMatchObject({ exitCode: 0, stderr: '' });
    expect(short.stdout).toBe('ActiveState=failed\nSubState=failed\nResult=exit-code\nNRestarts=4\nLoadState=loaded\n');
    const long = await run('systemctl show -p ActiveState -- oht50-backend.service');
    expect(long.stdout).toBe('ActiveState=failed\n');
  });

  it('reports a missing service as not-found with systemd defaults', async () => {
    const properties =
      'LoadState,ActiveState,SubState,UnitFileState,NRestarts,ActiveEnterTimestamp,Result,MainPID,Description';
    const result = await run(`systemctl show -p ${properties} no-such-thing`);
    expect(result.stdout).toBe(
      'LoadState=not-found\nActiveState=inactive\nSubState=dead\nUnitFileState=\nNRestarts=0\n' +
        'ActiveEnterTimestamp=\nResult=success\nMainPID=0\nDescription=\n',
    );
  });

  it('separates several units by a blank line and accepts repeated -p', async () => {
    await sshd.setService('oht50-firmware.service', { ActiveState: 'active', MainPID: '812' });
    const result = await run('systemctl show -p ActiveState -p MainPID oht50-firmware gone.service');
    expect(result.stdout).toBe('ActiveState=active\nMainPID=812\n\nActiveState=inactive\nMainPID=0\n');
  });

  it('answers is-active with the state and an exit code like systemd', async () => {
    await sshd.setService('oht50-firmware', { ActiveState: 'active' });
    expect(await run('systemctl is-active oht50-firmware')).toMatchObject({ exitCode: 0, stdout: 'active\n' });
    expect(await run('systemctl is-active oht50-firmware', true)).toMatchObject({ exitCode: 0, stdout: 'active\n' });
    await sshd.setService('oht50-firmware', null);
    expect(await run('systemctl is-active oht50-firmware')).toMatchObject({ exitCode: 3, stdout: 'inactive\n' });
  });

  it('refuses what it does not implement instead of pretending', async () => {
    const result = await run('systemctl mask oht50-backend');
    expect(result.exitCode).toBe(1);
    expect(result.stderr).toMatch(/unsupported command: mask/);
  });
});
