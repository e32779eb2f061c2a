import type { CheckResult } from '../../../shared/domain/health';
import type { Thresholds } from '../../../shared/domain/thresholds';
import type { Unit, VehicleProfile } from '../../../shared/domain/unit';
import type { Clock } from '../ports/Clock';
import { buildBatchScript, newNonce, parseBatchOutput, type Probe, type ProbeOutput } from '../transport/batch';
import type { CommandChannel } from '../transport/transport';
import type { CheckModule, SweepContext } from './checkModule';
import { CHECK_MODULES } from './modules';
import { detectFirmwarePort } from './modules/apiModule';
import { detectFromOutputs } from './modules/servicesModule';

export type SweepOutcome = { checks: CheckResult[]; profile: VehicleProfile };

export type SweepOptions = {
  thresholds: Thresholds;
  clock: Clock;
  signal?: AbortSignal | undefined;
  modules?: readonly CheckModule[];
};

/** Headroom over the slowest probe's own limit, for the connection itself. */
const BATCH_OVERHEAD_MS = 5_000;

/**
 * One sweep of a unit over an open command channel: every module's probes go out as one script over one exec,
 * and each module judges its own outputs. The first sweep also learns which firmware build the vehicle runs.
 * Modules that need probes built from those answers get one more batch over the same channel, and only then.
 */
export async function sweepUnit(unit: Unit, channel: CommandChannel, options: SweepOptions): Promise<SweepOutcome> {
  const modules = options.modules ?? CHECK_MODULES;
  const base = { unit, profile: unit.profile, thresholds: options.thresholds };
  const planned = modules.map((module) => ({ module, probes: module.probes(base) }));
  const sentAtMs = options.clock.now();
  const outputs = await runBatch(
    channel,
    planned.flatMap((p) => p.probes),
    options.signal,
  );
  const receivedAtMs = options.clock.now();
  // Service names first (which firmware unit exists), then the port its API really answers on.
  const profile = detectFirmwarePort(detectFromOutputs(unit.profile, outputs), outputs);
  const context: SweepContext = { ...base, profile, sentAtMs, receivedAtMs };

  const used = new Set(outputs.keys());
  const withFollowUps = planned.map(({ module, probes }) => {
    const more = followUpSafely(module, context, outputsFor(probes, outputs)).filter((p) => {
      const fresh = !used.has(p.key);
      used.add(p.key);
      return fresh;
    });
    return { module, probes: [...probes, ...more], more };
  });
  const second = withFollowUps.flatMap((p) => p.more);
  if (second.length > 0) {
    for (const [key, output] of await runFollowUpBatch(channel, second, options.signal)) {
      outputs.set(key, output);
    }
  }
  const checks = withFollowUps.flatMap(({ module, probes }) =>
    judgeSafely(module, context, outputsFor(probes, outputs)),
  );
  return { checks, profile };
}

async function runBatch(
  channel: CommandChannel,
  probes: readonly Probe[],
  signal: AbortSignal | undefined,
): Promise<Map<string, ProbeOutput>> {
  const nonce = newNonce();
  // Probes run one after another on the vehicle, so the batch may take as long as their limits added up.
  const budgetMs = probes.reduce((sum, p) => sum + (p.timeoutS ?? 5) * 1000, 0) + BATCH_OVERHEAD_MS;
  const result = await channel.exec(buildBatchScript(probes, nonce), { timeoutMs: budgetMs, signal });
  return parseBatchOutput(
    result.stdout,
    nonce,
    probes.map((p) => p.key),
  );
}

/**
 * The second round may fail on its own (the link dropped since the first): its probes then have no answer and
 * their checks say so, while everything the first round learned is still judged. Only a cancelled sweep stops.
 */
async function runFollowUpBatch(
  channel: CommandChannel,
  probes: readonly Probe[],
  signal: AbortSignal | undefined,
): Promise<Map<string, ProbeOutput>> {
  try {
    return await runBatch(channel, probes, signal);
  } catch (error) {
    if (signal?.aborted === true) {
      throw error;
    }
    return new Map();
  }
}

function followUpSafely(module: CheckModule, context: SweepContext, outputs: Map<string, ProbeOutput>): Probe[] {
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
        message: `${module.name} could not be judged: ${error instanceof Error ? error.message : String(error)}`,
        evidence: [...outputs.values()].map((o) => `[${o.key}]\n${o.stdout}`).join('\n'),
      },
    ];
  }
}
