import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { runCli } from '../../../electron/cli/main';
import { startSimFleet, type SimFleet } from '../../../electron/sim/SimServer';
import { captureIo } from '../../support/cli/captureIo';

/*
 * The CLI's human output in Vietnamese with --lang vi or OHTW_LANG=vi, on a simulated unit whose firmware crashed:
 * units, diagnose, history and procedures say their words in it; --json is the same whatever the language.
 */
describe('ohtw in Vietnamese', () => {
  let dir: string;
  let sim: SimFleet;
  const cli = async (argv: string[], env: Record<string, string> = {}) => {
    const io = captureIo(env);
    const code = await runCli([...argv, '--data-dir', join(dir, 'data')], io);
    return { code, out: io.stdout(), err: io.stderr() };
  };

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'ohtw-cli-language-'));
    sim = await startSimFleet({ count: 1, stateDir: join(dir, 'sim') });
    const unit = sim.units[0]!;
    const add = ['units', 'add', unit.name, '--host', unit.host, '--port', String(unit.port), '--user', unit.user];
    expect((await cli([...add, '--key', unit.clientKeyPath])).code).toBe(0);
    expect((await cli(['units', 'trust', unit.name, '--fingerprint', unit.hostKeyFingerprint])).code).toBe(0);
    unit.vehicle.crashService('firmware');
  }, 60_000);

  afterAll(async () => {
    await sim?.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('lists units in Vietnamese with --lang vi or OHTW_LANG=vi, and the same JSON either way', async () => {
    const listed = await cli(['units', 'list', '--lang', 'vi']);
    expect(listed.out).toMatch(/^TÊN\s+ĐỊA CHỈ\s+KHÓA MÁY CHỦ\s+MỨC GẦN NHẤT/);
    expect(listed.out).toContain('chưa chẩn đoán');
    expect((await cli(['units', 'list'], { OHTW_LANG: 'vi' })).out).toBe(listed.out);
    expect((await cli(['units', 'list'])).out).toContain('never diagnosed');
    expect((await cli(['units', 'list', '--json', '--lang', 'vi'])).out).toBe(
      (await cli(['units', 'list', '--json'])).out,
    );
    expect(await cli(['units', 'list', '--lang', 'fr'])).toMatchObject({
      code: 64,
      err: expect.stringContaining('en or vi'),
    });
  });

  it('says the diagnosis, the history and the procedures in Vietnamese', async () => {
    const unit = sim.units[0]!.name;
    const diagnosed = await cli(['diagnose', unit, '--lang', 'vi']);
    expect(diagnosed.code).toBe(2);
    expect(diagnosed.out).toMatch(
      new RegExp(`^${unit}  ERROR  \\(\\d+,\\d\\d s, \\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d\\)`),
    );
    expect(diagnosed.out).toContain('oht50-firmware đã bị lỗi dừng');
    expect(diagnosed.out).toContain('→ sổ tay vận hành: ');
    expect(diagnosed.out).not.toMatch(/has failed|runbook:/);
    const english = await cli(['diagnose', unit]);
    expect(english.out).toContain('oht50-firmware has failed');

    const history = await cli(['history', unit], { OHTW_LANG: 'vi' });
    expect(history.out).toContain('services.firmware');
    expect(history.out).not.toContain('has failed');

    const procedures = await cli(['procedures', 'list', '--lang', 'vi']);
    expect(procedures.out).toContain('Hệ thống ngừng hoạt động');
  });
});
