import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';

import type { Clock } from '../core/ports/Clock';
import { silentLogger, type Logger } from '../core/ports/Logger';
import { loadOrCreateKey, loadOrCreatePassword } from './simKeys';
import { startSimUnit, type SimUnitHandle } from './SimUnitServer';
import type { SimVariant, SimVehicle } from './SimVehicle';

export type SimUnitInfo = {
  name: string;
  host: '127.0.0.1';
  port: number;
  user: string;
  password: string;
  clientKeyPath: string;
  hostKeyFingerprint: string;
  hostKeyAlgorithm: string;
  vehicle: SimVehicle;
};

export type SimFleet = { units: SimUnitInfo[]; close(): Promise<void> };

export type SimFleetOptions = {
  count: number;
  /** Default 'sim-', giving sim-01, sim-02, ... */
  namePrefix?: string;
  /** Keys and password, kept across runs so fingerprints and credentials stay the same. */
  stateDir: string;
  /** Default 'oht', the vehicles' service user. */
  user?: string;
  /** Default: generated once and kept in stateDir/password. */
  password?: string;
  clock?: Clock;
  logger?: Logger;
  /** Per unit, default 'runbook'. */
  variants?: SimVariant[];
  /** Per unit, default 0 (a free port). */
  ports?: number[];
};

/**
 * Starts `count` simulated OHT-50 units, each an SSH endpoint on 127.0.0.1 with its own host key, all
 * accepting one client key (stateDir/client_ed25519) and one password. If any unit cannot start (a port
 * taken), the ones already started are closed and the error is thrown.
 */
export async function startSimFleet(options: SimFleetOptions): Promise<SimFleet> {
  if (!Number.isInteger(options.count) || options.count < 0) {
    throw new Error(`simulated unit count must be a whole number, not ${options.count}`);
  }
  const logger = options.logger ?? silentLogger;
  await mkdir(options.stateDir, { recursive: true, mode: 0o700 });
  const clientKeyPath = join(options.stateDir, 'client_ed25519');
  const clientKey = await loadOrCreateKey(clientKeyPath, 'ohtw-sim-client', true);
  const user = options.user ?? 'oht';
  const password = options.password ?? (await loadOrCreatePassword(join(options.stateDir, 'password')));

  const started: SimUnitHandle[] = [];
  try {
    for (let i = 0; i < options.count; i += 1) {
      const name = `${options.namePrefix ?? 'sim-'}${String(i + 1).padStart(2, '0')}`;
      started.push(
        await startSimUnit({
          name,
          variant: options.variants?.[i] ?? 'runbook',
          port: options.ports?.[i] ?? 0,
          hostKeyPath: join(options.stateDir, name, 'host_ed25519'),
          credentials: { user, password, clientKey },
          clock: options.clock,
          logger: logger.child({ sim: name }),
        }),
      );
    }
  } catch (error) {
    await Promise.all(started.map((unit) => unit.close()));
    throw error;
  }

  let closing: Promise<void> | undefined;
  return {
    units: started.map((unit) => ({
      name: unit.vehicle.name,
      host: '127.0.0.1',
      port: unit.port,
      user,
      password,
      clientKeyPath,
      hostKeyFingerprint: unit.hostKey.fingerprint,
      hostKeyAlgorithm: unit.hostKey.algorithm,
      vehicle: unit.vehicle,
    })),
    close: () => (closing ??= Promise.all(started.map((unit) => unit.close())).then(() => undefined)),
  };
}
