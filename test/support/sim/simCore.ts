import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import type { WorkstationApi } from '../../../shared/ipc/api';
import { createWorkstationClient } from '../../../shared/ipc/client';
import { createCore, type Core, type CoreOptions } from '../../../electron/core/createCore';
import { silentLogger } from '../../../electron/core/ports/Logger';
import { startSimFleet, type SimFleet, type SimFleetOptions } from '../../../electron/sim/SimServer';

/** Simulated units, and a core on a data folder of its own that knows them, in one temporary folder. */
export type SimCore = { dir: string; sim: SimFleet; core: Core; api: WorkstationApi; close(): Promise<void> };

/**
 * Starts the simulated units (in `<dir>/sim`) and a core (data in `<dir>/data`, the CLI face, silent), then adds every
 * unit and trusts its host key through the contract, as a technician does first. `close` ends all of it and removes
 * the folder.
 */
export async function startSimCore(options: {
  tempPrefix: string;
  fleet?: Omit<SimFleetOptions, 'stateDir'>;
  core?: Partial<CoreOptions>;
}): Promise<SimCore> {
  const dir = await mkdtemp(join(tmpdir(), options.tempPrefix));
  let sim: SimFleet | undefined;
  let core: Core | undefined;
  const close = async (): Promise<void> => {
    await core?.close();
    await sim?.close();
    await rm(dir, { recursive: true, force: true });
  };
  try {
    sim = await startSimFleet({ count: 1, ...options.fleet, stateDir: join(dir, 'sim') });
    core = await createCore({
      dataDir: join(dir, 'data'),
      face: 'cli',
      logger: silentLogger,
      actor: 'tester',
      ...options.core,
    });
    const started = core;
    const api = createWorkstationClient({
      invoke: (name, input) => started.dispatch(name, input),
      subscribe: (handler) => started.events.subscribe(handler),
    });
    for (const unit of sim.units) {
      await api.call('units.add', {
        name: unit.name,
        host: unit.host,
        port: unit.port,
        user: unit.user,
        auth: { kind: 'key', keyPath: unit.clientKeyPath },
      });
      await api.call('units.trust', { name: unit.name, fingerprint: unit.hostKeyFingerprint });
    }
    return { dir, sim, core, api, close };
  } catch (error) {
    await close();
    throw error;
  }
}
