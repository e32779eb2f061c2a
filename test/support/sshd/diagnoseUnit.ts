import { mkdtemp, rm } from 'node:fs/promises';
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
