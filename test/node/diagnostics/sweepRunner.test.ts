import { PassThrough, Writable } from 'node:stream';
import { finished } from 'node:stream/promises';

import { describe, expect, it } from 'vitest';

import { DEFAULT_THRESHOLDS } from '../../../shared/domain/thresholds';
import type { CheckResult } from '../../../shared/domain/health';
import { CHECK_MODULES } from '../../../electron/core/diagnostics/modules';
import { sweepUnit, type SweepOptions } from '../../../electron/core/diagnostics/sweep';
import { fixedClock } from '../../../electron/core/ports/Clock';
import { answerCommand } from '../../../electron/sim/commands';
import type { SimVehicle } from '../../../electron/sim/SimVehicle';
import type { CommandChannel, StreamChannel, StreamingExec } from '../../../electron/core/transport/transport';
import { parseBatchScript } from '../../../electron/core/transport/parallelBatch';
import { SIM_NOW, simChannel, simUnit, simVehicle } from '../../support/sim/simSweep';

const sweep = (channel: CommandChannel, options: Partial<SweepOptions> = {}): Promise<CheckResult[]> =>
  sweepUnit(simUnit(), channel, {
    thresholds: DEFAULT_THRESHOLDS,
    clock: fixedClock(SIM_NOW),
    ...options,
  }).then((outcome) => outcome.checks);

/** Every check by id with its level and message, children included. */
function summary(checks: readonly CheckResult[]): string[] {
  return checks.flatMap((c) => [`${c.id} ${c.level} ${c.message}`, ...summary(c.children ?? [])]);
}

type Recorded = CommandChannel & { scripts: string[] };

function recording(vehicle: SimVehicle): Recorded {
  const inner = simChannel(vehicle);
  const scripts: string[] = [];
  return { scripts, exec: (command, options) => (scripts.push(command), inner.exec(command, options)) };
}

/**
 * A simulated vehicle behind a streaming channel that prints the first batch's answers up to the follow-up
 * inputs (the network module's), then holds the rest back until a second command arrives or two seconds pass.
 */
function streamingVehicle(
  vehicle: SimVehicle,
): CommandChannel & StreamChannel & { followUpBeforeRest: Promise<boolean> } {
  let secondArrived: () => void = () => undefined;
  const second = new Promise<void>((resolve) => {
    secondArrived = resolve;
  });
  let reportOrder: (before: boolean) => void = () => undefined;
  const followUpBeforeRest = new Promise<boolean>((resolve) => {
    reportOrder = resolve;
  });
  let streams = 0;
  const channel = simChannel(vehicle);
  return {
    followUpBeforeRest,
    exec: (command, options) => {
      secondArrived();
      return channel.exec(command, options);
    },
    execStream(command): StreamingExec {
      streams += 1;
      const stdout = new PassThrough();
      const result = answerCommand(vehicle, command, { name: 'tech' });
      const done = (async () => {
        if (streams === 1) {
          const cut = result.stdout.indexOf('\n', result.stdout.indexOf(':end:network.ports:')) + 1;
          stdout.write(result.stdout.slice(0, cut));
          const before = await Promise.race([
            second.then(() => true),
            new Promise<boolean>((resolve) => setTimeout(() => resolve(false), 2000)),
          ]);
          reportOrder(before);
          stdout.end(result.stdout.slice(cut));
        } else {
          secondArrived();
          stdout.end(result.stdout);
        }
        // As the SSH channel does: the command counts as done once its output has been read to the end.
        await finished(stdout);
        return { exitCode: result.exitCode, signal: null, stderr: result.stderr, durationMs: 1 };
      })();
      return { stdout, stdin: new Writable({ write: (_c, _e, cb) => cb() }), done, cancel: () => undefined };
    },
  };
}

describe('the sweep runner', () => {
  it('sends the follow-up round as soon as its inputs are in, while the first batch still runs', async () => {
    const vehicle = simVehicle();
    const channel = streamingVehicle(vehicle);
    const checks = await sweep(channel);
    expect(await channel.followUpBeforeRest).toBe(true);
    expect(checks.find((c) => c.id === 'network.center')?.message).toContain('answers ping');
  });

  it('asks the firmware state once for the two checks that judge it', async () => {
    const vehicle = simVehicle();
    const channel = recording(vehicle);
    const checks = await sweep(channel);
    const first = parseBatchScript(channel.scripts[0] ?? '')?.probes.map((p) => p.key) ?? [];
    expect(first.filter((key) => key === 'firmware.state.8081')).toHaveLength(1);
    expect(first.some((key) => key.startsWith('safety.state'))).toBe(false);
    const lines = summary(checks);
    expect(lines).toContainEqual(expect.stringMatching(/^api\.firmware\.state OK the firmware is IDLE/));
    expect(lines).toContainEqual(expect.stringMatching(/^safety\.estop OK .*the firmware reports IDLE/));
  });

  it('gives the serial sweep of the same vehicle its results, the simulator running both scripts', async () => {
    const vehicle = simVehicle();
    vehicle.crashService('firmware');
    const parallel = recording(vehicle);
    const serial = recording(vehicle);
    expect(summary(await sweep(parallel))).toEqual(summary(await sweep(serial, { mode: 'serial' })));
    expect(parallel.scripts[0]).toContain(' & p0=$!');
    expect(serial.scripts[0]).not.toContain(' & p0=$!');
  });

  it('falls back to one probe after another on a vehicle without timeout', async () => {
    const vehicle = simVehicle();
    const expected = summary(await sweep(recording(vehicle), { mode: 'serial' }));
    vehicle.removeProgram('timeout');
    const channel = recording(vehicle);
    const checks = await sweep(channel);
    expect(channel.scripts.slice(0, 2).map((script) => script.includes(' & p0=$!'))).toEqual([true, false]);
    expect(summary(checks)).toEqual(expected);
  });

  it('refuses two modules asking different things under one probe key', async () => {
    const clash = CHECK_MODULES.map((module) =>
      module.name === 'clock' ? { ...module, probes: () => [{ key: 'network.link', command: 'date' }] } : module,
    );
    await expect(sweep(recording(simVehicle()), { modules: clash })).rejects.toThrow(
      'two check modules ask different things under the probe key network.link',
    );
  });
});
