import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import type { VehicleProfile } from '../../../shared/domain/unit';
import type { WorkstationApi } from '../../../shared/ipc/api';
import { createWorkstationClient } from '../../../shared/ipc/client';
import type { CallContext } from '../../../electron/core/api/CoreApi';
import { createCore, type Core } from '../../../electron/core/createCore';
import { createCapturingLogger, type CapturedRecord } from '../fakes/captureLogger';
import type { SshdFixture } from '../sshd/startSshd';

export type ConsoleFixture = {
  core: Core;
  dataDir: string;
  unit: string;
  /** The typed client over the core, as the CLI and the renderer use it; `client` names the page it stands for. */
  api(client?: string): WorkstationApi;
  records: CapturedRecord[];
  close(): Promise<void>;
};

/** A core in a fresh data folder with one unit on the sshd, its host key trusted, as technician tech-a. */
export async function consoleFixture(
  sshd: Pick<SshdFixture, 'host' | 'port' | 'user' | 'clientKeyPath' | 'hostKeyFingerprint'>,
  options: {
    unit?: string;
    profile?: Partial<VehicleProfile>;
    streamLeaseMs?: number;
    port?: number;
    env?: Record<string, string>;
  } = {},
): Promise<ConsoleFixture> {
  const dataDir = await mkdtemp(join(tmpdir(), 'ohtw-console-'));
  const { logger, records } = createCapturingLogger();
  const core = await createCore({
    dataDir,
    face: 'cli',
    logger,
    env: options.env ?? {},
    actor: 'tech-a',
    ...(options.streamLeaseMs === undefined ? {} : { streamLeaseMs: options.streamLeaseMs }),
  });
  const unit = options.unit ?? 'unit-console';
  const api = (client?: string): WorkstationApi => {
    const context: Partial<CallContext> = client === undefined ? {} : { face: 'browser', client };
    return createWorkstationClient({
      invoke: (name, input) => core.dispatch(name, input, context),
      subscribe: (handler) =>
        core.events.subscribe((event) => {
          // As the browser host does: an event addressed to one page reaches that page only.
          if (event.to === undefined || event.to === client) {
            handler(event);
          }
        }),
    });
  };
  await api().call('units.add', {
    name: unit,
    host: sshd.host,
    port: options.port ?? sshd.port,
    user: sshd.user,
    auth: { kind: 'key', keyPath: sshd.clientKeyPath },
    ...(options.profile ? { profile: options.profile } : {}),
  });
  await api().call('units.trust', { name: unit, fingerprint: sshd.hostKeyFingerprint });
  return {
    core,
    dataDir,
    unit,
    api,
    records,
    async close() {
      await core.close();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}
