import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import type { VehicleProfile } from '../../../shared/domain/unit';
import type { RunView, StepAnswer } from '../../../shared/ipc/contracts/procedureRuns';
import { createCore, type Core } from '../../../electron/core/createCore';
import type { Connection } from '../../../electron/core/transport/transport';
import { createSshUnitConnector, type UnitConnector } from '../../../electron/core/units/unitConnection';
import { createCapturingLogger } from '../../support/fakes/captureLogger';
import type { SshdFixture } from '../../support/sshd/startSshd';

export const RUNNING = { LoadState: 'loaded', ActiveState: 'active', SubState: 'running', UnitFileState: 'enabled' };

/**
 * A core in a fresh data folder with one unit on the fixture's sshd (host key trusted, profile pointing at the fake
 * vehicle), whose SSH connections the test can cut, and which can be closed and opened again on the same folder as
 * an app restart.
 */
export type RunFixture = {
  unit: string;
  dataDir: string;
  core(): Core;
  /** The connections the core has made so far, oldest first. */
  connections: Connection[];
  call<T = unknown>(name: string, input: unknown): Promise<T>;
  /** The call's error envelope ({code, message}); fails when the call succeeded. */
  refusal(name: string, input: unknown): Promise<{ code: string; message: string }>;
  start(procedureId: string, params?: Record<string, string>): Promise<RunView>;
  step(view: RunView, answer: StepAnswer, stepId?: string): Promise<RunView>;
  /** Closes the core and opens a new one on the same data folder. */
  restart(): Promise<void>;
  /** Writes a procedure file into the data folder's procedures (the user's edited versions). */
  addProcedure(file: string, procedure: unknown): Promise<void>;
  close(): Promise<void>;
};

export async function runFixture(
  sshd: SshdFixture,
  name: string,
  profile: Partial<VehicleProfile>,
): Promise<RunFixture> {
  const dataDir = await mkdtemp(join(tmpdir(), 'ohtw-proc-sshd-'));
  const connections: Connection[] = [];
  const real = createSshUnitConnector({}, createCapturingLogger().logger);
  const connector: UnitConnector = {
    async connect(unit) {
      const connection = await real.connect(unit);
      connections.push(connection);
      return connection;
    },
    probe: (unit) => real.probe(unit),
  };
  const open = () =>
    createCore({ dataDir, face: 'cli', logger: createCapturingLogger().logger, env: {}, connector, actor: 'tech-a' });
  let core = await open();
  const call = async <T>(callName: string, input: unknown): Promise<T> => {
    const result = await core.dispatch(callName, input);
    if (!result.ok) {
      throw new Error(`${callName} failed: ${JSON.stringify(result.error)}`);
    }
    return result.value as T;
  };
  await call('units.add', {
    name,
    host: sshd.host,
    port: sshd.port,
    user: sshd.user,
    auth: { kind: 'key', keyPath: sshd.clientKeyPath },
    profile,
  });
  await call('units.trust', { name, fingerprint: sshd.hostKeyFingerprint });
  return {
    unit: name,
    dataDir,
    core: () => core,
    connections,
    call,
    async refusal(callName, input) {
      const result = await core.dispatch(callName, input);
      if (result.ok) {
        throw new Error(`${callName} succeeded but was expected to be refused`);
      }
      return result.error;
    },
    start: (procedureId, params = {}) => call<RunView>('procedures.start', { procedureId, units: [name], params }),
    step: (view, answer, stepId) =>
      call<RunView>('procedures.run.step', {
        runId: view.runId,
        stepId: stepId ?? view.current?.stepId,
        answer,
      }),
    async restart() {
      await core.close();
      core = await open();
    },
    async addProcedure(file, procedure) {
      await mkdir(join(dataDir, 'procedures'), { recursive: true });
      await writeFile(join(dataDir, 'procedures', file), JSON.stringify(procedure, null, 2));
    },
    async close() {
      await core.close();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}

/** English and Vietnamese text for test procedures (the schema wants both). */
export const t = (en: string): { en: string; vi: string } => ({ en, vi: `${en} (vi)` });
