import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import type BetterSqlite3 from 'better-sqlite3';

import type { CallName, CallOutput, CallInput } from '../../../shared/ipc/contract';
import { createCore, type Core, type CoreOptions } from '../../../electron/core/createCore';
import { createCapturingLogger } from '../../support/fakes/captureLogger';

export const TEAM_PASSWORD = 'team-field-password';

/** One technician's laptop: a data folder with its own core, its own audit key file, its team password. */
export type Laptop = {
  name: string;
  dataDir: string;
  env: Record<string, string>;
  core: Core;
  db: BetterSqlite3.Database;
  call<N extends CallName>(name: N, input: CallInput<N>): Promise<CallOutput<N>>;
  reopen(options?: Partial<CoreOptions>): Promise<void>;
  close(): Promise<void>;
};

export async function openLaptop(
  name: string,
  technician: string,
  options: Partial<CoreOptions> = {},
): Promise<Laptop> {
  const root = await mkdtemp(join(tmpdir(), `ohtw-team-${name}-`));
  const dataDir = join(root, 'data');
  const env: Record<string, string> = {
    OHTW_AUDIT_KEY_FILE: join(root, 'audit.key'),
    OHTW_TEAM_PASSWORD: TEAM_PASSWORD,
    OHTW_PASSPHRASE: `${name} store passphrase`,
    ...options.env,
  };
  const open = (extra: Partial<CoreOptions>) =>
    createCore({
      dataDir,
      face: 'cli',
      actor: technician,
      logger: createCapturingLogger().logger,
      ...options,
      ...extra,
      env,
    });
  const laptop: Laptop = {
    name,
    dataDir,
    env,
    core: await open({}),
    get db() {
      return (laptop.core.history as unknown as { db: BetterSqlite3.Database }).db;
    },
    async call(callName, input) {
      const result = await laptop.core.dispatch(callName, input);
      if (!result.ok) {
        throw new Error(`${name}: ${callName} failed: ${JSON.stringify(result.error)}`);
      }
      return result.value as CallOutput<typeof callName>;
    },
    async reopen(extra = {}) {
      await laptop.core.close();
      laptop.core = await open(extra);
    },
    async close() {
      await laptop.core.close();
      await rm(root, { recursive: true, force: true });
    },
  };
  return laptop;
}
