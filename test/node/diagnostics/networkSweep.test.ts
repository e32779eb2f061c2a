import { describe, expect, it } from 'vitest';

import { AppError } from '../../../shared/errors/AppError';
import { DEFAULT_THRESHOLDS } from '../../../shared/domain/thresholds';
import { DEFAULT_VEHICLE_PROFILE, type Unit } from '../../../shared/domain/unit';
import type { CheckModule } from '../../../electron/core/diagnostics/checkModule';
import { networkModule } from '../../../electron/core/diagnostics/modules/networkModule';
import { servicesModule } from '../../../electron/core/diagnostics/modules/servicesModule';
import { sweepUnit } from '../../../electron/core/diagnostics/sweep';
import { fixedClock } from '../../../electron/core/ports/Clock';
import { answerCommand } from '../../../electron/sim/commands';
import { SimVehicle } from '../../../electron/sim/SimVehicle';
import { parseBatchScript } from '../../../electron/core/transport/parallelBatch';
import type { CommandChannel, ExecOptions, ExecResult } from '../../../electron/core/transport/transport';

const NOW = Date.UTC(2026, 10, 28, 15, 49, 15);
const UNIT: Unit = {
  name: 'sim-01',
  host: '127.0.0.1',
  port: 22,
  user: 'oht',
  auth: { kind: 'password', passwordEnv: 'X' },
  profile: DEFAULT_VEHICLE_PROFILE,
  hostKey: null,
  createdAt: new Date(NOW).toISOString(),
  lastLevel: null,
  lastRunAt: null,
};

/** One channel to a simulated vehicle that records each exec's probe keys and can fail or cancel an exec. */
function simChannel(
  vehicle: SimVehicle,
  fail: (index: number, options: ExecOptions) => void = () => undefined,
): CommandChannel & { execs: string[][] } {
  const execs: string[][] = [];
  return {
    execs,
    async exec(command, options): Promise<ExecResult> {
      execs.push(parseBatchScript(command)?.probes.map((p) => p.key) ?? []);
      fail(execs.length, options);
      const r = answerCommand(vehicle, command, { name: 'oht' });
      return { exitCode: r.exitCode, signal: null, stdout: r.stdout, stderr: r.stderr, durationMs: 1 };
    },
  };
}

const sweep = (channel: CommandChannel, modules: readonly CheckModule[], signal?: AbortSignal) =>
  sweepUnit(UNIT, channel, { thresholds: DEFAULT_THRESHOLDS, clock: fixedClock(NOW), modules, signal });

describe('a sweep with a follow-up round', () => {
  it('pings the center named in system.yaml in a second batch over the same channel', async () => {
    const vehicle = new SimVehicle({ name: 'sim-01', clock: fixedClock(NOW) });
    const channel = simChannel(vehicle);
    const { checks } = await sweep(channel, [servicesModule, networkModule]);
    expect(channel.execs).toEqual([
      // The inputs of a follow-up go first: their answers are printed first.
      ['network.link', 'network.addr', 'network.route', 'network.config', 'network.ports', 'services.show'],
      ['network.ping'],
    ]);
    expect(checks.map((c) => [c.id, c.level])).toEqual([
      ['services.backend', 'OK'],
      ['services.firmware', 'OK'],
      ['network.interfaces', 'OK'],
      ['network.route', 'OK'],
      ['network.center', 'OK'],
      ['network.ports', 'OK'],
    ]);
    expect(checks.find((c) => c.id === 'network.center')?.message).toBe(
      'center server center-server:8080 (192.168.10.5) answers ping in 2.3 ms',
    );
  });

  it('sends one batch only when nothing needs a second round', async () => {
    const vehicle = new SimVehicle({ name: 'sim-01', clock: fixedClock(NOW) });
    vehicle.state.files['/opt/oht50/config/system.yaml'] = 'device:\n  id: sim-01\n';
    const channel = simChannel(vehicle);
    const { checks } = await sweep(channel, [servicesModule, networkModule]);
    expect(channel.execs).toHaveLength(1);
    expect(checks.find((c) => c.id === 'network.center')).toMatchObject({
      level: 'OK',
      message: 'no center server configured in /opt/oht50/config/system.yaml',
    });
  });

  it('still judges everything else when the second round fails, and says why the center was not tested', async () => {
    const vehicle = new SimVehicle({ name: 'sim-01', clock: fixedClock(NOW) });
    const channel = simChannel(vehicle, (index) => {
      if (index === 2) {
        throw new AppError('TRANSPORT_CLOSED', 'sim-01: the connection closed');
      }
    });
    const { checks } = await sweep(channel, [servicesModule, networkModule]);
    expect(checks.find((c) => c.id === 'network.center')).toMatchObject({
      level: 'STALE',
      message: 'center server center-server:8080 (center.host) could not be tested: no answer from the vehicle',
    });
    expect(checks.filter((c) => c.level === 'OK')).toHaveLength(5);
  });

  it('stops when the sweep is cancelled during the second round', async () => {
    const vehicle = new SimVehicle({ name: 'sim-01', clock: fixedClock(NOW) });
    const controller = new AbortController();
    const channel = simChannel(vehicle, (index) => {
      if (index === 2) {
        controller.abort();
        throw new AppError('CANCELLED', 'cancelled');
      }
    });
    await expect(sweep(channel, [networkModule], controller.signal)).rejects.toMatchObject({ code: 'CANCELLED' });
  });

  it('survives a module whose follow-up throws or reuses a key, without losing the others’ second round', async () => {
    const vehicle = new SimVehicle({ name: 'sim-01', clock: fixedClock(NOW) });
    const seen: string[][] = [];
    const broken: CheckModule = {
      name: 'broken',
      checkIds: ['broken.a'],
      probes: () => [{ key: 'broken.a', command: 'echo first' }],
      followUp: () => {
        throw new Error('bad follow-up');
      },
      judge: (_c, outputs) => {
        seen.push([...outputs.keys()]);
        return [{ id: 'broken.a', level: 'OK', message: 'x', evidence: '' }];
      },
    };
    const greedy: CheckModule = {
      name: 'greedy',
      checkIds: ['greedy.a'],
      probes: () => [{ key: 'greedy.a', command: 'echo one' }],
      followUp: () => [
        { key: 'greedy.a', command: 'echo again' },
        { key: 'greedy.b', command: 'echo two' },
      ],
      judge: (_c, outputs) => {
        seen.push([...outputs.entries()].map(([k, o]) => `${k}=${o.stdout}`));
        return [{ id: 'greedy.a', level: 'OK', message: 'x', evidence: '' }];
      },
    };
    const channel = simChannel(vehicle);
    const { checks } = await sweep(channel, [broken, greedy, networkModule]);
    expect(channel.execs[1]).toEqual(['greedy.b', 'network.ping']);
    expect(seen).toEqual([['broken.a'], ['greedy.a=one', 'greedy.b=two']]);
    expect(checks.find((c) => c.id === 'network.center')?.level).toBe('OK');
  });
});
