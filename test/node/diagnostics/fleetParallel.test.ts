import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import { createCore, type Core } from '../../../electron/core/createCore';
import { silentLogger } from '../../../electron/core/ports/Logger';
import { answerCommand } from '../../../electron/sim/commands';
import { SimVehicle } from '../../../electron/sim/SimVehicle';
import type { UnitConnector } from '../../../electron/core/units/unitConnection';
import { runCli } from '../../../electron/cli/main';
import { captureIo } from '../../support/cli/captureIo';

const FLEET = 20;

/**
 * Simulated vehicles behind a connector that counts how many units are being worked on at once, from the start
 * of the connection's set-up to its close; each step takes a few milliseconds, as a network would.
 */
function countingConnector(): UnitConnector & { most: () => number } {
  let active = 0;
  let most = 0;
  const later = (): Promise<void> => new Promise((resolve) => setTimeout(resolve, 5));
  return {
    most: () => most,
    async connect(unit) {
      active += 1;
      most = Math.max(most, active);
      await later();
      const vehicle = new SimVehicle({ name: unit.name });
      return {
        description: unit.name,
        async exec(command) {
          await later();
          return { ...answerCommand(vehicle, command, { name: unit.user }), signal: null, durationMs: 5 };
        },
        async close() {
          active -= 1;
        },
      };
    },
    probe: () => Promise.reject(new Error('not used')),
  };
}

describe('a fleet diagnosis', () => {
  let dir: string;
  let core: Core;
  let connector: ReturnType<typeof countingConnector>;
  const names = Array.from({ length: FLEET }, (_, i) => `unit-${String(i + 1).padStart(2, '0')}`);

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'ohtw-fleet-'));
    connector = countingConnector();
    core = await createCore({ dataDir: dir, face: 'cli', logger: silentLogger, env: {}, connector });
    for (const name of names) {
      const added = await core.dispatch('units.add', {
        name,
        host: '127.0.0.1',
        user: 'tech',
        auth: { kind: 'key', keyPath: '/dev/null' },
      });
      expect(added.ok).toBe(true);
    }
  });
  afterEach(async () => {
    await core.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('works on 8 units at a time unless told, connection set-up included, and reports every unit', async () => {
    const result = await core.dispatch('diagnostics.run', { names });
    expect(result.ok).toBe(true);
    expect((result as { value: { unit: string }[] }).value.map((r) => r.unit)).toEqual(names);
    expect(connector.most()).toBe(8);
  });

  it('takes the bound it is given', async () => {
    expect((await core.dispatch('diagnostics.run', { names, parallel: 3 })).ok).toBe(true);
    expect(connector.most()).toBe(3);
  });

  it('refuses a bound outside 1..64', async () => {
    expect(await core.dispatch('diagnostics.run', { names, parallel: 0 })).toMatchObject({
      ok: false,
      error: { code: 'VALIDATION' },
    });
  });
});

describe('ohtw diagnose --parallel', () => {
  it('is a whole number from 1 to 64', async () => {
    const io = captureIo();
    expect(await runCli(['diagnose', '--all', '--parallel', '0'], io)).toBe(64);
    expect(io.stderr()).toContain('--parallel must be a whole number from 1 to 64, not "0"');
  });
});
