import type { Said } from '../../../../shared/domain/said';
import { said, say } from '../../../../shared/domain/words';
import type { CheckResult } from '../../../../shared/domain/health';
import { levelFor, type Thresholds } from '../../../../shared/domain/thresholds';
import type { ProbeOutput } from '../../transport/batch';
import { evidenceOf, firstLine, unusable, type CheckModule, type SweepContext } from '../checkModule';
import { RUNBOOK } from '../runbook';

/**
 * clock: the vehicle's clock against the laptop's. The vehicle read its clock somewhere between the moment the batch
 * was sent and the moment its answer arrived, so the skew lies in an interval as wide as that round trip; the
 * verdict is the level the whole interval agrees on, and the estimate shown is its middle. A skewed clock breaks token expiry, log correlation and backups' dates; on a vehicle
 * it usually means time sync cannot reach its server.
 */

const ID = 'clock';
const KEY = 'clock.now';
export const CLOCK_COMMAND = 'date +%s%N';

/** The vehicle's time in epoch ms and how coarse it is (busybox `date` has no %N and prints whole seconds). */
export function parseVehicleTime(text: string): { ms: number; resolutionMs: number } | null {
  const trimmed = text.trim();
  const precise = /^(\d{9,11})(\d{9})$/.exec(trimmed);
  if (precise?.[1] !== undefined && precise[2] !== undefined) {
    return { ms: Number(precise[1]) * 1000 + Math.floor(Number(precise[2]) / 1e6), resolutionMs: 1 };
  }
  const seconds = /^(\d{9,11})(%?N)?$/.exec(trimmed);
  if (seconds?.[1] !== undefined) {
    return { ms: Number(seconds[1]) * 1000, resolutionMs: 1000 };
  }
  return null;
}

/** Skew (vehicle minus laptop): the interval it must lie in, and the estimate in the middle of it. */
export type ClockReading = { lowMs: number; highMs: number; skewMs: number; uncertaintyMs: number };

export function measureSkew(
  vehicle: { ms: number; resolutionMs: number },
  sentAtMs: number,
  receivedAtMs: number,
): ClockReading {
  const lowMs = vehicle.ms - Math.max(sentAtMs, receivedAtMs);
  const highMs = vehicle.ms + vehicle.resolutionMs - sentAtMs;
  return { lowMs, highMs, skewMs: (lowMs + highMs) / 2, uncertaintyMs: (highMs - lowMs) / 2 };
}

const seconds = (ms: number): Said =>
  say(Math.abs(ms) < 10_000 ? 'clock.seconds1' : 'clock.seconds0', { s: Math.abs(ms) / 1000 });

/**
 * The level the skew certainly has, whatever instant of the round trip the vehicle read its clock at. When the round
 * trip was too long to tell a good clock from a bad one, the check is STALE rather than a guess.
 */
export function judgeClock(
  reading: ClockReading,
  limits: Thresholds['clockSkewS'],
): Omit<CheckResult, 'id' | 'evidence'> {
  const { lowMs, highMs, skewMs, uncertaintyMs } = reading;
  const nearestMs = lowMs > 0 ? lowMs : highMs < 0 ? -highMs : 0;
  const farthestMs = Math.max(Math.abs(lowMs), Math.abs(highMs));
  const certain = levelFor(nearestMs / 1000, limits);
  const possible = levelFor(farthestMs / 1000, limits);
  const within = seconds(uncertaintyMs);
  const skew = (ms: number): Said => say(skewMs >= 0 ? 'clock.ahead' : 'clock.behind', { skew: seconds(ms) });
  if (certain === 'OK' && possible !== 'OK') {
    return {
      level: 'STALE',
      ...said('clock.tooSlow', {
        took: seconds(2 * uncertaintyMs),
        limit: limits.warning,
        skew: skew(skewMs),
        within,
      }),
    };
  }
  if (certain === 'OK') {
    return { level: 'OK', ...said('clock.ok', { skew: skew(skewMs), within }) };
  }
  const atLeast = certain === possible ? '' : say('clock.atLeast');
  return {
    level: certain,
    ...said('clock.skewed', { atLeast, skew: skew(certain === possible ? skewMs : nearestMs), within }),
    runbook: RUNBOOK.communication,
  };
}

function judge(context: SweepContext, outputs: ReadonlyMap<string, ProbeOutput>): CheckResult[] {
  const output = outputs.get(KEY);
  const evidenceText = evidenceOf({ key: KEY, command: CLOCK_COMMAND }, output);
  const laptop = `laptop: sent ${new Date(context.sentAtMs).toISOString()}, answer ${new Date(context.receivedAtMs).toISOString()}`;
  const evidence = `${evidenceText}\n${laptop}`;
  const problem = unusable(output);
  if (problem !== null || !output) {
    return [
      { id: ID, level: 'STALE', ...said('clock.unreadable', { reason: problem ?? say('probe.noAnswer') }), evidence },
    ];
  }
  const vehicle = output.exitCode === 0 ? parseVehicleTime(output.stdout) : null;
  if (!vehicle) {
    const answer = firstLine(output.stdout).slice(0, 60) || '(nothing)';
    const reason = say('clock.dateSaid', { said: { raw: answer } });
    return [{ id: ID, level: 'STALE', ...said('clock.unreadable', { reason }), evidence }];
  }
  const reading = measureSkew(vehicle, context.sentAtMs, context.receivedAtMs);
  return [
    {
      id: ID,
      evidence: `${evidence}\nvehicle: ${new Date(vehicle.ms).toISOString()}`,
      ...judgeClock(reading, context.thresholds.clockSkewS),
    },
  ];
}

export const clockModule: CheckModule = {
  name: 'clock',
  checkIds: [ID],
  probes: () => [{ key: KEY, command: CLOCK_COMMAND, timeoutS: 2 }],
  judge,
};
