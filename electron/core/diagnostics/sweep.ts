import { said } from '../../../shared/domain/words';
import type { CheckResult } from '../../../shared/domain/health';
import type { Thresholds } from '../../../shared/domain/thresholds';
import type { Unit, VehicleProfile } from '../../../shared/domain/unit';
import { AppError, BugError } from '../../../shared/errors/AppError';
import type { Clock } from '../ports/Clock';
import type { Probe, ProbeOutput } from '../transport/batch';
import type { CommandChannel } from '../transport/transport';
import type { CheckModule, ProbeContext, SweepContext } from './checkModule';
import { CHECK_MODULES } from './modules';
import { detectFirmwarePort } from './modules/apiModule';
import { detectFromOutputs } from './modules/servicesModule';
import { runProbeBatch, type BatchMode } from './sweepBatch';

export type SweepOutcome = { checks: CheckResult[]; profile: VehicleProfile };

export type SweepOptions = {
  thresholds: Thresholds;
  clock: Clock;
  signal?: AbortSignal | undefined;
  modules?: readonly CheckModule[];
  /** 'parallel' (the default) runs the probes at the same time on the vehicle; 'serial' one after another. */
  mode?: BatchMode;
};

type Planned = { module: CheckModule; probes: Probe[] };

/**
 * One sweep of a unit over an open command channel: every module's probes go out as one script over one exec,
 * and each module judges its own outputs. A probe two modules ask alike (same key, same command) runs once and
 * both get its answer. The first sweep also learns which firmware build the vehicle runs. A module whose probes
 * must be written from first answers (a host named in a config file) gets a follow-up batch over the same
 * connection, sent as soon as that module's own answers are in, while the rest of the first batch still runs.
 */
export async function sweepUnit(unit: Unit, channel: CommandChannel, options: SweepOptions): Promise<SweepOutcome> {
  const modules = options.modules ?? CHECK_MODULES;
  const mode = options.mode ?? 'parallel';
  const base: ProbeContext = { unit, profile: unit.profile, thresholds: options.thresholds };
  const planned: Planned[] = modules.map((module) => ({ module, probes: module.probes(base) }));
  const first = distinct(planned.flatMap((p) => p.probes));
  // Follow-up inputs first: the vehicle prints the answers in this order, and those are the ones waited for.
  const withFollowUp = planned.filter((p) => p.module.followUp !== undefined);
  const ordered = distinct([...withFollowUp.flatMap((p) => p.probes), ...first]);

  const outputs = new Map<string, ProbeOutput>();
  const used = new Set(first.map((p) => p.key));
  const followUps = new Map<CheckModule, Probe[]>();
  const rounds: Promise<Map<string, ProbeOutput>>[] = [];
  // The follow-ups of the modules whose answers are all in go out together, as one more batch.
  const startFollowUps = (): void => {
    const batch: Probe[] = [];
    for (const { module, probes } of withFollowUp) {
      if (followUps.has(module) || !probes.every((p) => outputs.has(p.key))) {
        continue;
      }
      const more = followUpSafely(module, base, outputsFor(probes, outputs)).filter((p) => {
        const fresh = !used.has(p.key);
        used.add(p.key);
        return fresh;
      });
      followUps.set(module, more);
      batch.push(...more);
    }
    if (batch.length > 0) {
      rounds.push(runFollowUp(channel, batch, mode, options.signal));
    }
  };

  let scheduled = false;
  const sentAtMs = options.clock.now();
  const answers = await runProbeBatch(channel, ordered, {
    mode,
    signal: options.signal,
    onOutput: (output) => {
      outputs.set(output.key, output);
      // Once for the answers that arrived together, so that their modules' follow-ups share one batch.
      if (!scheduled) {
        scheduled = true;
        queueMicrotask(() => {
          scheduled = false;
          startFollowUps();
        });
      }
    },
  });
  const receivedAtMs = options.clock.now();
  answers.forEach((output, key) => outputs.set(key, output));
  startFollowUps();
  for (const round of await Promise.all(rounds)) {
    round.forEach((output, key) => outputs.set(key, output));
  }
  if (options.signal?.aborted === true) {
    throw new AppError('CANCELLED', `the sweep of ${unit.name} was cancelled`);
  }

  // Service names first (which firmware unit exists), then the port its API really answers on.
  const profile = detectFirmwarePort(detectFromOutputs(unit.profile, outputs), outputs);
  const context: SweepContext = { ...base, profile, sentAtMs, receivedAtMs };
  const checks = planned.flatMap(({ module, probes }) =>
    judgeSafely(module, context, outputsFor([...probes, ...(followUps.get(module) ?? [])], outputs)),
  );
  return { checks, profile };
}

/** The probes once each: two modules may ask the same thing (same key), but never two things under one key. */
function distinct(probes: readonly Probe[]): Probe[] {
  const byKey = new Map<string, Probe>();
  for (const probe of probes) {
    const seen = byKey.get(probe.key);
    if (seen === undefined) {
      byKey.set(probe.key, probe);
    } else if (seen.command !== probe.command || seen.timeoutS !== probe.timeoutS) {
      throw new BugError(`two check modules ask different things under the probe key ${probe.key}`);
    }
  }
  return [...byKey.values()];
}

/**
 * The second round may fail on its own (the link dropped since the first): its probes then have no answer and
 * their checks say so, while everything the first round learned is still judged. It never rejects: a cancelled
 * sweep is stopped by the caller once the first round is in.
 */
async function runFollowUp(
  channel: CommandChannel,
  probes: readonly Probe[],
  mode: BatchMode,
  signal: AbortSignal | undefined,
): Promise<Map<string, ProbeOutput>> {
  try {
    return await runProbeBatch(channel, probes, { mode, signal });
  } catch {
    return new Map();
  }
}

function followUpSafely(module: CheckModule, context: ProbeContext, outputs: Map<string, ProbeOutput>): Probe[] {
  try {
    return module.followUp?.(context, outputs) ?? [];
  } catch {
    // Its judge sees the follow-up answers missing and says why; the other modules' probes still go out.
    return [];
  }
}

function outputsFor(probes: readonly Probe[], all: ReadonlyMap<string, ProbeOutput>): Map<string, ProbeOutput> {
  return new Map(probes.flatMap((p) => (all.has(p.key) ? [[p.key, all.get(p.key) as ProbeOutput] as const] : [])));
}

/** A module that throws on an answer it did not expect yields a STALE check, never a failed sweep. */
function judgeSafely(module: CheckModule, context: SweepContext, outputs: Map<string, ProbeOutput>): CheckResult[] {
  try {
    return module.judge(context, outputs);
  } catch (error) {
    return [
      {
        id: module.name,
        level: 'STALE',
        ...said('sweep.moduleFailed', {
          module: module.name,
          error: { raw: error instanceof Error ? error.message : String(error) },
        }),
        evidence: [...outputs.values()].map((o) => `[${o.key}]\n${o.stdout}`).join('\n'),
      },
    ];
  }
}
