import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import type { WorkstationApi } from '../../../shared/ipc/api';
import { AppError } from '../../../shared/errors/AppError';
import type { SimFleet, SimUnitInfo } from '../../../electron/sim/SimServer';
import { startSimCore, type SimCore } from '../../support/sim/simCore';

/** The core as a face sees it, diagnosing a simulated vehicle whose firmware crashes between two sweeps. */
describe('what changed, through the core, on a simulated unit', () => {
  let started: SimCore | undefined;
  let sim: SimFleet;
  let api: WorkstationApi;
  let unit: SimUnitInfo;

  beforeAll(async () => {
    started = await startSimCore({ tempPrefix: 'ohtw-changes-' });
    ({ sim, api } = started);
    unit = sim.units[0]!;
  });

  afterAll(async () => {
    await started?.close();
  });

  it('has nothing to say after the first sweep, then names the crashed firmware and its restart', async () => {
    await expect(api.call('diagnostics.changes', { name: 'no-such-unit' })).rejects.toMatchObject({
      code: 'NOT_FOUND',
    });
    expect(await api.call('diagnostics.changes', { name: unit.name })).toEqual({
      unit: unit.name,
      runId: null,
      previousRunId: null,
      changes: [],
    });

    const [first] = await api.call('diagnostics.run', { names: [unit.name] });
    expect(first?.level).toBe('OK');
    expect(first?.checks.find((c) => c.id === 'services.firmware')?.metrics).toEqual({ restarts: 0, active: 1 });
    expect(await api.call('diagnostics.changes', { name: unit.name })).toEqual({
      unit: unit.name,
      runId: first?.runId,
      previousRunId: null,
      changes: [],
    });

    unit.vehicle.crashService('firmware');
    const [second] = await api.call('diagnostics.run', { names: [unit.name] });
    expect(second?.level).toBe('ERROR');
    const result = await api.call('diagnostics.changes', { name: unit.name });
    expect(result).toMatchObject({ runId: second?.runId, previousRunId: first?.runId });
    // The firmware's own lines come first (services lead the tree); what its crash did elsewhere follows them.
    expect(result.changes.filter((c) => c.checkId === 'services.firmware')).toEqual([
      {
        checkId: 'services.firmware',
        from: 'OK',
        to: 'ERROR',
        text: expect.stringMatching(/^services\.firmware OK → ERROR: oht50-firmware has failed \(exit-code/),
      },
      {
        checkId: 'services.firmware',
        from: 'OK',
        to: 'ERROR',
        text: expect.stringMatching(/^oht50-firmware restarted 1 time since the previous sweep \(\d+ s earlier\)$/),
      },
    ]);
    expect(result.changes[0]?.checkId).toBe('services.firmware');
    expect(result.changes.some((c) => c.checkId === 'services.backend')).toBe(false);

    // The same answer for that run when it is asked for by id, and the first run still has nothing before it.
    expect(await api.call('diagnostics.changes', { name: unit.name, runId: second!.runId })).toEqual(result);
    expect((await api.call('diagnostics.changes', { name: unit.name, runId: first!.runId })).changes).toEqual([]);
    const wrong = await api.call('diagnostics.changes', { name: unit.name, runId: 'nope' }).catch((e: unknown) => e);
    expect(wrong).toBeInstanceOf(AppError);
  });
});
