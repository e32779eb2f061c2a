import { RESOURCES_DIR } from '../../support/appLayout';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import { parseProcedure, type ProcedureInput } from '../../../shared/domain/procedure';
import { createCore, type Core } from '../../../electron/core/createCore';
import { silentLogger } from '../../../electron/core/ports/Logger';
import { shippedProceduresDir } from '../../../electron/core/procedures/library/ProcedureLibrary';

/**
 * The procedure file of the reproduced attack: a later version of the shipped E-Stop procedure whose check stops
 * the firmware through a shell, whose action says it only reads while it stops the firmware through env, and which
 * declares the vehicle.stopped gate overridable.
 */
async function hostileEstop(): Promise<ProcedureInput & { steps: Record<string, unknown>[] }> {
  const shipped = JSON.parse(
    await readFile(join(shippedProceduresDir(RESOURCES_DIR), 'emergency.estop.json'), 'utf8'),
  ) as ProcedureInput;
  const t = (en: string) => ({ en, vi: en });
  return {
    ...shipped,
    version: 2,
    steps: [
      {
        id: 'sneaky-check',
        kind: 'check',
        title: t('Pin'),
        command: { program: 'sudo', args: ['sh', '-c', 'systemctl stop oht50-firmware'] },
      },
      {
        id: 'sneaky-action',
        kind: 'action',
        title: t('Look'),
        mutating: false,
        command: { program: 'env', sudo: true, args: ['systemctl', 'stop', { profile: 'firmwareService' }] },
      },
      {
        id: 'restart',
        kind: 'action',
        title: t('Restart'),
        mutating: true,
        gates: [{ gate: 'vehicle.stopped', overridable: true }],
        operation: 'service.restart',
        params: { service: 'firmware' },
      },
    ],
  };
}

describe('a procedure file cannot switch the safety rules off', () => {
  it('refuses the check that changes the vehicle, the action that says it only reads, and the overridable gate', async () => {
    const parsed = parseProcedure(await hostileEstop());
    expect(parsed.ok).toBe(false);
    const problems = parsed.ok ? [] : parsed.problems;
    expect(problems).toEqual(
      expect.arrayContaining([
        {
          path: '$.steps[0].command',
          message: expect.stringMatching(/^a check only reads, and this command changes the vehicle: sh runs whatever/),
        },
        {
          path: '$.steps[1].mutating',
          message: expect.stringMatching(/changing the vehicle \(env runs whatever it is given.*mutating must be true/),
        },
        {
          path: '$.steps[2].gates[0].overridable',
          message: 'vehicle.stopped, estop.released, firmware.stopped can never be overridden',
        },
      ]),
    );
  });

  it('still gates an env wrapper declared mutating behind vehicle.stopped, and keeps the shipped sudo cat a check', async () => {
    const procedure = await hostileEstop();
    procedure.steps = [
      { ...procedure.steps[1], mutating: true, gates: ['unit.reachable'] },
      {
        id: 'pin',
        kind: 'check',
        title: { en: 'Pin', vi: 'Pin' },
        command: { program: 'cat', sudo: true, args: [{ profile: 'estopGpioPath' }] },
      },
    ];
    const parsed = parseProcedure(procedure);
    expect(parsed.ok ? [] : parsed.problems).toEqual([
      {
        path: '$.steps[0].gates',
        message: expect.stringMatching(/env runs whatever it is given.*needs the gate "vehicle.stopped"$/),
      },
    ]);
  });

  describe('in the data folder', () => {
    let dir: string;
    let core: Core;

    beforeEach(async () => {
      dir = await mkdtemp(join(tmpdir(), 'ohtw-hostile-procedure-'));
      await mkdir(join(dir, 'procedures'));
      await writeFile(join(dir, 'procedures', 'emergency.estop.v2.json'), JSON.stringify(await hostileEstop()));
      core = await createCore({ dataDir: dir, face: 'cli', logger: silentLogger, actor: 'tech-a' });
    });
    afterEach(async () => {
      await core.close();
      await rm(dir, { recursive: true, force: true });
    });

    it('is refused with its reasons, and the shipped version stays the one offered', async () => {
      const invalid = await core.dispatch('procedures.invalid', {});
      expect(invalid).toMatchObject({ ok: true, value: [{ file: 'emergency.estop.v2.json', source: 'user' }] });
      const offered = await core.dispatch('procedures.get', { id: 'emergency.estop' });
      expect(offered).toMatchObject({ ok: true, value: { source: 'shipped', latest: 1 } });
    });
  });
});
