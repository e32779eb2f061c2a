import type { Said } from '../../../../shared/domain/said';
import { said, say } from '../../../../shared/domain/words';
import type { CheckResult } from '../../../../shared/domain/health';
import type { VehicleProfile } from '../../../../shared/domain/unit';
import type { ProbeOutput } from '../../transport/batch';
import { sh, type ShellText } from '../../transport/shell';
import { evidenceOf, unusable, type CheckModule, type SweepContext } from '../checkModule';
import { RUNBOOK } from '../runbook';

/**
 * config.env: the backend's configuration file (<installDir>/backend/.env) is there. It holds the backend's secrets
 * (JWT_SECRET, database URL), so only its presence is asked: nothing of its content leaves the vehicle. The backend
 * folder is `750 oht:oht`, so when the login user cannot open the file the question goes through `sudo -n`.
 */

const ID = 'config.env';
const KEY = 'env.presence';
export const ENV_PRESENT = '@@ohtw-env present';
export const ENV_ROOT = '@@ohtw-env read through sudo -n';

export const envFilePath = (profile: VehicleProfile): string => `${profile.installDir}/backend/.env`;

export function envFileCommand(profile: VehicleProfile): ShellText {
  const file = envFilePath(profile);
  const asRoot = sh`echo ${ENV_ROOT}; true <${file} && echo ${ENV_PRESENT}`;
  return sh`true 2>/dev/null <${file} && echo ${ENV_PRESENT}; true 2>/dev/null <${file} || sudo -n sh -c ${asRoot}`;
}

export type EnvFileVerdict =
  { kind: 'present'; viaSudo: boolean } | { kind: 'missing' } | { kind: 'unknown'; reason: Said };

/** Reads the probe's answer; never throws. */
export function readEnvFile(output: ProbeOutput | undefined, path: string): EnvFileVerdict {
  const problem = unusable(output);
  if (problem !== null || !output) {
    return { kind: 'unknown', reason: problem ?? say('probe.noAnswer') };
  }
  const all = output.stdout.split('\n').map((l) => l.replace(/\r$/, ''));
  const viaSudo = all.includes(ENV_ROOT);
  const lines = all.slice(all.indexOf(ENV_ROOT) + 1);
  if (lines.includes(ENV_PRESENT)) {
    return { kind: 'present', viaSudo };
  }
  if (lines.some((l) => /^sudo: (a password is required|a terminal is required)/.test(l))) {
    return {
      kind: 'unknown',
      reason: say('env.sudoPassword', { path }),
    };
  }
  const cannotOpen = lines.find((l) => l.includes(`cannot open ${path}`));
  if (cannotOpen !== undefined && /No such file/.test(cannotOpen)) {
    return { kind: 'missing' };
  }
  return {
    kind: 'unknown',
    reason: say('env.unclear', { line: { raw: (cannotOpen ?? lines[0] ?? '').slice(0, 120) } }),
  };
}

export function judgeEnvFile(verdict: EnvFileVerdict, path: string): Omit<CheckResult, 'id' | 'evidence'> {
  switch (verdict.kind) {
    case 'present':
      return {
        level: 'OK',
        ...said('env.present', { path, sudo: verdict.viaSudo ? say('env.viaSudo') : '' }),
      };
    case 'missing':
      return {
        level: 'ERROR',
        ...said('env.missing', { path }),
        runbook: RUNBOOK.serviceWontStart,
      };
    case 'unknown':
      return { level: 'STALE', ...said('env.stale', { path, reason: verdict.reason }) };
  }
}

function judge(context: SweepContext, outputs: ReadonlyMap<string, ProbeOutput>): CheckResult[] {
  const path = envFilePath(context.unit.profile);
  const output = outputs.get(KEY);
  const evidence = evidenceOf({ key: KEY, command: envFileCommand(context.unit.profile) }, output);
  return [{ id: ID, evidence, ...judgeEnvFile(readEnvFile(output, path), path) }];
}

export const envFileModule: CheckModule = {
  name: 'envFile',
  checkIds: [ID],
  probes: ({ unit }) => [{ key: KEY, command: envFileCommand(unit.profile), timeoutS: 3 }],
  judge,
};
