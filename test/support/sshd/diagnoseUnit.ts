import { mkdtemp, rm } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import type { CheckResult, DiagnosisReport } from '../../../shared/domain/health';
import type { VehicleProfile } from '../../../shared/domain/unit';
import { createCore, type Core } from '../../../electron/core/createCore';
import { createCapturingLogger } from '../fakes/captureLogger';
import type { SshdFixture } from './startSshd';

export type DiagnosedUnit = {
  name: string;
  dataDir: string;
  core: Core;
  /** One `diagnostics.run` of the unit through the core: the report and every check by id, children included. */
  diagnose(): Promise<{ report: DiagnosisReport; checks: Map<string, CheckResult> }>;
  close(): Promise<void>;
};

/**
 * A core in a fresh data folder with one unit on the fixture's sshd, its host key trusted, and the profile given
 * (a partial profile makes the unit 'custom', so it keeps pointing at the fake vehicle's paths and ports).
 */
export async function diagnosedUnit(
  sshd: SshdFixture,
  name: string,
  profile: Partial<VehicleProfile>,
): Promise<DiagnosedUnit> {
  const dataDir = await mkdtemp(join(tmpdir(), 'ohtw-diag-sshd-'));
  const core = await createCore({ dataDir, face: 'cli', logger: createCapturingLogger().logger, env: {} });
  const ok = (result: unknown, what: string): void => {
    if ((result as { ok?: boolean }).ok !== true) {
      throw new Error(`${what} failed: ${JSON.stringify(result)}`);
    }
  };
  ok(
    await core.dispatch('units.add', {
      name,
      host: sshd.host,
      port: sshd.port,
      user: sshd.user,
      auth: { kind: 'key', keyPath: sshd.clientKeyPath },
      profile,
    }),
    'units.add',
  );
  ok(await core.dispatch('units.trust', { name, fingerprint: sshd.hostKeyFingerprint }), 'units.trust');
  return {
    name,
    dataDir,
    core,
    async diagnose() {
      const result = await core.dispatch('diagnostics.run', { names: [name] });
      ok(result, 'diagnostics.run');
      const report = (result as { value: DiagnosisReport[] }).value[0];
      if (!report) {
        throw new Error('diagnostics.run returned no report');
      }
      const checks = new Map<string, CheckResult>();
      const walk = (check: CheckResult): void => {
        checks.set(check.id, check);
        check.children?.forEach(walk);
      };
      report.checks.forEach(walk);
      return { report, checks };
    },
    async close() {
      await core.close();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}

export type FirmwareStateServer = {
  port: number;
  /** What /api/v1/system/state answers in data.current_state (IDLE, ESTOP, FAULT, …). */
  state: string;
  close(): Promise<void>;
};

/** The firmware's /api/v1/system/state on 127.0.0.1, as oht50_main answers it; every other path is a 404. */
export async function startFirmwareState(initial = 'IDLE'): Promise<FirmwareStateServer> {
  const handle: { state: string } = { state: initial };
  const server: Server = createServer((request, response) => {
    const body =
      request.url === '/api/v1/system/state'
        ? {
            success: true,
            data: {
              current_state: handle.state,
              previous_state: 'IDLE',
              state_duration_ms: 1200,
              total_transitions: 4,
              system_ready: handle.state === 'IDLE',
              safety_ok: handle.state !== 'ESTOP' && handle.state !== 'FAULT',
              last_event: handle.state === 'ESTOP' ? 'ESTOP_TRIGGERED' : 'INIT_COMPLETE',
              current_fault: handle.state === 'ESTOP' ? 'ESTOP' : 'NONE',
              timestamp: Date.now(),
            },
          }
        : { success: false, message: 'Endpoint not found' };
    response.writeHead(request.url === '/api/v1/system/state' ? 200 : 404, {
      'content-type': 'application/json',
      connection: 'close',
    });
    response.end(JSON.stringify(body));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const address = server.address();
  if (address === null || typeof address === 'string') {
    throw new Error('the firmware state server has no port');
  }
  return {
    port: address.port,
    get state() {
      return handle.state;
    },
    set state(value: string) {
      handle.state = value;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
