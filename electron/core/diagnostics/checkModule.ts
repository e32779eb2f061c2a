import type { CheckResult } from '../../../shared/domain/health';
import type { Said } from '../../../shared/domain/said';
import type { Thresholds } from '../../../shared/domain/thresholds';
import type { Unit, VehicleProfile } from '../../../shared/domain/unit';
import { say } from '../../../shared/domain/words';
import type { Probe, ProbeOutput } from '../transport/batch';

/** What a check module knows while it builds its probes: the unit as registered. */
export type ProbeContext = {
  unit: Unit;
  /** The unit's stored profile (service names, ports, paths). */
  profile: VehicleProfile;
  thresholds: Thresholds;
};

/** What a check module knows while it judges the answers. */
export type SweepContext = ProbeContext & {
  /** The profile as this sweep detected it (service names, ports, paths). */
  profile: VehicleProfile;
  /** The laptop's clock when the batch was sent and when its answer arrived (for the clock check). */
  sentAtMs: number;
  receivedAtMs: number;
};

/**
 * One area of the diagnosis (services, logs, APIs, resources, …). A module names the shell probes it needs;
 * the sweep sends every module's probes in one batch over one exec and hands each module back its outputs,
 * keyed by the probe keys it chose. Probes must work on a stock Debian/Orange Pi image without extra tools,
 * and a missing tool must lead to a STALE check with the reason, never a thrown error.
 */
export type CheckModule = {
  /** Short, unique; prefixes the module's probe keys in the batch. */
  readonly name: string;
  /** The fixed ids of the top-level checks it always reports; an unreachable unit shows each of them STALE. */
  readonly checkIds: readonly string[];
  probes(context: ProbeContext): Probe[];
  /**
   * Optional second round, for probes that can only be written once the first answers are known (a host named
   * in a config file, say). It is asked as soon as this module's own first answers are in (those are what it
   * gets) and its probes go out at once as one more batch over the same connection, while the first one still
   * runs; `judge` then gets the outputs of both rounds. Must not throw on garbage.
   */
  followUp?(context: ProbeContext, outputs: ReadonlyMap<string, ProbeOutput>): Probe[];
  /** Top-level checks with their fixed ids (children may hang below them). Must not throw on garbage. */
  judge(context: SweepContext, outputs: ReadonlyMap<string, ProbeOutput>): CheckResult[];
};

/** A probe output that is missing, cut off or timed out, described for a STALE check; null when usable. */
export function unusable(output: ProbeOutput | undefined): Said | null {
  if (!output) {
    return say('probe.noAnswer');
  }
  if (output.truncated) {
    return say('probe.cutOff');
  }
  if (output.exitCode === 124) {
    return output.timeoutS === undefined
      ? say('probe.timedOut')
      : say('probe.timedOutAfter', { seconds: output.timeoutS });
  }
  if (output.exitCode === 127) {
    return say('probe.toolMissing', { detail: { raw: firstLine(output.stdout) } });
  }
  return null;
}

export function firstLine(text: string): string {
  return text.split('\n').find((l) => l.trim() !== '') ?? '';
}

/** Evidence text for a probe: the command as sent, then what the vehicle printed and its exit status. */
export function evidenceOf(probe: Probe | undefined, output: ProbeOutput | undefined): string {
  const command = probe ? `$ ${probe.command}` : '$ (no command)';
  if (!output) {
    return `${command}\n(no answer)`;
  }
  const status = output.truncated ? '(cut off)' : `(exit ${output.exitCode ?? '?'})`;
  return `${command}\n${output.stdout}\n${status}`;
}
