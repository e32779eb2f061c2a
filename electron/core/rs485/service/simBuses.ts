/**
 * Simulated module buses for the demo, training and the UI test: the four modules on a socat pseudo-terminal pair
 * with the faults a trainer chooses; the workstation connects to the pair's master end like to any adapter.
 */
import { randomUUID } from 'node:crypto';

import type { SimFaultsInput } from '../../../../shared/ipc/contracts/rs485';
import { AppError } from '../../../../shared/errors/AppError';
import type { Clock } from '../../ports/Clock';
import type { SimFaults } from '../simModules';
import type { SerialPortEntry } from '../ports';
import { startSimBus, type SimBusHandle, type StartSimBusOptions } from '../simModulesSlave';

export type SimInfoView = {
  simId: string;
  port: string;
  faults: SimFaultsInput;
  modules: { type: 'power' | 'safety' | 'travel' | 'dock'; address: number }[];
  startedAt: string;
};

type RunningSim = { simId: string; handle: SimBusHandle; port: string; startedAt: string };

export type StartSim = (options: StartSimBusOptions) => Promise<SimBusHandle>;

/** The contract's faults as the simulator's (the schema already bounds every number). */
export function toSimFaults(input: SimFaultsInput): SimFaults {
  const faults: SimFaults = {};
  if (input.estopPressed !== undefined) {
    faults.estopPressed = input.estopPressed;
  }
  if (input.lowBattery !== undefined) {
    faults.lowBattery = input.lowBattery;
  }
  if (input.missing !== undefined) {
    faults.missing = [...input.missing];
  }
  if (input.noise !== undefined) {
    faults.noise = {
      everyNth: input.noise.everyNth,
      ...(input.noise.modules ? { modules: [...input.noise.modules] } : {}),
    };
  }
  if (input.slowMs !== undefined) {
    faults.slowMs = Object.fromEntries(Object.entries(input.slowMs).filter(([, v]) => v !== undefined));
  }
  if (input.ignoreWrites !== undefined) {
    faults.ignoreWrites = [...input.ignoreWrites];
  }
  return faults;
}

export class SimBuses {
  private readonly sims = new Map<string, RunningSim>();

  constructor(private readonly deps: { clock: Clock; start?: StartSim | undefined; shippedDir: string }) {}

  /** Starts the four modules on a new pty pair; `link`: where the master end's path is linked. */
  async start(faults: SimFaultsInput, link?: string): Promise<SimInfoView> {
    let handle: SimBusHandle;
    try {
      handle = await (this.deps.start ?? startSimBus)({
        createPty: true,
        masterLink: link,
        shippedDir: this.deps.shippedDir,
        faults: toSimFaults(faults),
      });
    } catch (error) {
      if (error instanceof AppError) {
        throw error;
      }
      const message = error instanceof Error ? error.message : String(error);
      throw new AppError('PRECONDITION_FAILED', `The simulated bus could not start (is socat installed?): ${message}`);
    }
    if (handle.masterPath === null) {
      await handle.close();
      throw new AppError('INTERNAL', 'the simulated bus has no master end');
    }
    const sim: RunningSim = {
      simId: randomUUID(),
      handle,
      port: handle.masterPath,
      startedAt: this.deps.clock.nowIso(),
    };
    this.sims.set(sim.simId, sim);
    return this.view(sim);
  }

  require(simId: string): RunningSim {
    const sim = this.sims.get(simId);
    if (!sim) {
      throw new AppError('NOT_FOUND', `No simulated bus ${simId}`, { details: { simId } });
    }
    return sim;
  }

  setFaults(simId: string, faults: SimFaultsInput): SimInfoView {
    const sim = this.require(simId);
    sim.handle.setFaults(toSimFaults(faults));
    return this.view(sim);
  }

  async stop(simId: string): Promise<boolean> {
    const sim = this.sims.get(simId);
    if (!sim) {
      return false;
    }
    this.sims.delete(simId);
    await sim.handle.close();
    return true;
  }

  list(): SimInfoView[] {
    return [...this.sims.values()].map((s) => this.view(s));
  }

  async closeAll(): Promise<void> {
    await Promise.all([...this.sims.keys()].map((id) => this.stop(id)));
  }

  view(sim: RunningSim): SimInfoView {
    return {
      simId: sim.simId,
      port: sim.port,
      faults: sim.handle.bus.faults(),
      modules: sim.handle.bus.modules.map((m) => ({ type: m.type, address: m.address })),
      startedAt: sim.startedAt,
    };
  }
}

/** A simulated bus's master end as the port list shows it. */
export function simPort(path: string): SerialPortEntry {
  return {
    path,
    vidPid: null,
    vendorId: null,
    productId: null,
    manufacturer: null,
    serialNumber: null,
    pnpId: null,
    hint: 'simulated OHT-50 module bus (power, safety, travel, dock)',
  };
}
