/**
 * How long a diagnosis takes, three ways, against ONE real OpenSSH sshd on this machine (needs root, as the
 * sshd tests do), with a fake backend and firmware on 127.0.0.1:
 *
 *   (a) the runbook's diagnostic commands (Daily Health Checks, System Down, E-Stop) that the fake vehicle can
 *       answer, each as its own OpenSSH `ssh` invocation, one after another, as a technician types them;
 *   (b) one workstation sweep of the same unit (core `diagnostics.run`): every check module, one batch, one exec;
 *   (c) a fleet sweep of 20 units registered against the same sshd, against the one-unit sweep.
 *
 * It prints the times side by side and their ratios; it asserts nothing about absolute times.
 * Run: npx tsx bench/diagnose-sweep.ts
 */
import { execFile, spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';

import type { CheckResult, DiagnosisReport } from '../shared/domain/health';
import { createCore, type Core } from '../electron/core/createCore';
import { shellQuote } from '../electron/core/transport/transport';
import { silentLogger } from '../electron/core/ports/Logger';
import { DEFAULT_FLEET_PARALLELISM } from '../electron/core/diagnostics/DiagnosticsService';
import { startFakeVehicleHttp, type FakeVehicleHttp } from '../test/support/fakeVehicleHttp/fakeVehicleHttp';
import { opensshClientArgs } from '../test/support/sshd/opensshClient';
import { startSshd, type SshdFixture } from '../test/support/sshd/startSshd';

const RUNNING = { LoadState: 'loaded', ActiveState: 'active', SubState: 'running', UnitFileState: 'enabled' };
const FLEET = 20;

/** The runbook's commands, per section, with the steps that change the vehicle (stop, start, reset) left out. */
const RUNBOOK_COMMANDS: { section: string; command: string }[] = [
  { section: 'Daily Health Checks', command: 'curl http://localhost:8000/health/detailed' },
  { section: 'Daily Health Checks', command: 'sudo systemctl status oht50-backend' },
  { section: 'Daily Health Checks', command: 'sudo systemctl status oht50-firmware' },
  { section: 'Daily Health Checks', command: 'df -h' },
  { section: 'Daily Health Checks', command: 'du -sh /opt/oht50/logs/' },
  { section: 'Daily Health Checks', command: 'free -h' },
  { section: 'Daily Health Checks', command: 'top -n 1' },
  { section: 'Daily Health Checks', command: 'netstat -tlnp | grep :8000' },
  { section: 'Daily Health Checks', command: 'netstat -tlnp | grep :8081' },
  { section: 'System Down', command: 'sudo journalctl -u oht50-backend -n 50' },
  { section: 'System Down', command: 'sudo journalctl -u oht50-firmware -n 50' },
  { section: 'System Down', command: 'curl http://localhost:8000/health/' },
  { section: 'System Down', command: 'curl http://localhost:8081/health/' },
  { section: 'E-Stop', command: 'curl http://localhost:8000/api/v1/safety/status' },
  { section: 'E-Stop', command: 'sudo cat /sys/class/gpio/gpio59/value' },
  { section: 'E-Stop', command: 'curl http://localhost:8000/api/v1/system/status' },
];
const LEFT_OUT = [
  'sudo systemctl stop|start oht50-backend|oht50-firmware (System Down 1 and 4)',
  'curl -X POST http://localhost:8000/api/v1/safety/reset (E-Stop 3)',
];

type SshResult = { code: number; ms: number };

function ssh(sshd: SshdFixture, command: string): Promise<SshResult> {
  const args = [...opensshClientArgs(sshd), command];
  const started = performance.now();
  return new Promise((resolve) => {
    execFile('ssh', args, { timeout: 20_000, maxBuffer: 4 * 1024 * 1024 }, (error) => {
      const code = error ? (typeof error.code === 'number' ? error.code : 255) : 0;
      resolve({ code, ms: performance.now() - started });
    });
  });
}

/** The vehicle's ports in the commands, where the fake APIs could not take the real ones. */
function withPorts(command: string, http: FakeVehicleHttp): string {
  return command
    .replace('localhost:8000', `localhost:${http.backendPort}`)
    .replace('localhost:8081', `localhost:${http.firmwarePort}`)
    .replace(':8000', `:${http.backendPort}`)
    .replace(':8081', `:${http.firmwarePort}`);
}

/**
 * The form of each command the fake vehicle answers (exit 0): as written, else without sudo; null if neither.
 * Found out in one ssh exec, since this part is not timed.
 */
async function answerable(sshd: SshdFixture, commands: readonly string[]): Promise<(string | null)[]> {
  const forms = commands.map((c) => (c.startsWith('sudo ') ? [c, c.slice('sudo '.length)] : [c]));
  const script = forms
    .flat()
    .map((form) => `sh -c ${shellQuote(form)} </dev/null >/dev/null 2>&1; echo "$?"`)
    .join('\n');
  const codes = await new Promise<string[]>((resolve) => {
    execFile('ssh', [...opensshClientArgs(sshd), script], { timeout: 60_000 }, (_error, stdout) =>
      resolve(String(stdout).trim().split('\n')),
    );
  });
  let next = 0;
  return forms.map((options) => {
    const answered = options.find((_form, i) => codes[next + i] === '0') ?? null;
    next += options.length;
    return answered;
  });
}

function countChecks(reports: readonly DiagnosisReport[]): number {
  const count = (c: CheckResult): number => 1 + (c.children ?? []).reduce((n, child) => n + count(child), 0);
  return reports.reduce((n, r) => n + r.checks.reduce((m, c) => m + count(c), 0), 0);
}

async function timed<T>(work: () => Promise<T>): Promise<{ value: T; ms: number }> {
  const started = performance.now();
  const value = await work();
  return { value, ms: performance.now() - started };
}

async function runDiagnosis(core: Core, names: string[]): Promise<DiagnosisReport[]> {
  const result = await core.dispatch('diagnostics.run', { names });
  if (!result.ok) {
    throw new Error(`diagnostics.run failed: ${JSON.stringify(result)}`);
  }
  return result.value as DiagnosisReport[];
}

const ms = (value: number): string => `${Math.round(value).toLocaleString('en-US')} ms`.padStart(10);

async function main(): Promise<void> {
  const benchStarted = performance.now();
  const sshd = await startSshd();
  const http = await startFakeVehicleHttp({ backend: 8000, firmware: 8081 });
  const dataDir = await mkdtemp(join(tmpdir(), 'ohtw-bench-'));
  const core = await createCore({ dataDir, face: 'cli', logger: silentLogger, env: {} });
  try {
    await sshd.setService('oht50-backend', RUNNING);
    await sshd.setService('oht50-firmware', RUNNING);
    const defaultPorts = http.backendPort === 8000 && http.firmwarePort === 8081;
    const profile = defaultPorts ? undefined : { backendPort: http.backendPort, firmwarePort: http.firmwarePort };
    const names = Array.from({ length: FLEET }, (_, i) => `bench-${String(i + 1).padStart(2, '0')}`);
    for (const name of names) {
      const added = await core.dispatch('units.add', {
        name,
        host: sshd.host,
        port: sshd.port,
        user: sshd.user,
        auth: { kind: 'key', keyPath: sshd.clientKeyPath },
        ...(profile ? { profile } : {}),
      });
      const trusted = await core.dispatch('units.trust', { name, fingerprint: sshd.hostKeyFingerprint });
      if (!added.ok || !trusted.ok) {
        throw new Error(`could not add ${name}: ${JSON.stringify(added.ok ? trusted : added)}`);
      }
    }
    const one = names[0] ?? 'bench-01';

    // Which of the runbook's commands this fake vehicle can answer (not timed).
    const plan: { section: string; command: string }[] = [];
    const skipped: string[] = [];
    const forms = await answerable(
      sshd,
      RUNBOOK_COMMANDS.map((c) => withPorts(c.command, http)),
    );
    RUNBOOK_COMMANDS.forEach(({ section, command }, i) => {
      const form = forms[i];
      if (form === null || form === undefined) {
        skipped.push(command);
      } else {
        plan.push({ section, command: form });
      }
    });

    // Warm-up: the first ssh pays for cold caches on this machine; the first sweep is run twice below.
    await ssh(sshd, 'true');

    // (a) the runbook's commands, one ssh invocation each, one after another.
    const separate = await timed(async () => {
      for (const step of plan) {
        await ssh(sshd, step.command);
      }
    });
    // (b) one workstation sweep of the same unit, twice; the faster counts.
    const sweeps = [await timed(() => runDiagnosis(core, [one])), await timed(() => runDiagnosis(core, [one]))];
    const sweep = sweeps.reduce((a, b) => (b.ms < a.ms ? b : a));
    // (c) the fleet: 20 units, swept in parallel with the core's bound.
    const fleet = await timed(() => runDiagnosis(core, names));

    const sweepReport = sweep.value[0];
    const checks = countChecks(sweep.value);
    const fleetLevels = new Map<string, number>();
    fleet.value.forEach((r) => fleetLevels.set(r.level, (fleetLevels.get(r.level) ?? 0) + 1));

    console.log('OHT-50 Workstation: diagnosis time against one real OpenSSH sshd on 127.0.0.1');
    console.log(
      `fake backend :${http.backendPort}, fake firmware :${http.firmwarePort}${defaultPorts ? ' (the vehicle’s own ports)' : ' (8000/8081 were taken)'}`,
    );
    console.log('');
    console.log(
      `(a) runbook commands, one ssh each    ${ms(separate.ms)}   ${plan.length} commands, ${ms(separate.ms / Math.max(1, plan.length)).trim()} each`,
    );
    console.log(
      `(b) one workstation sweep, one exec    ${ms(sweep.ms)}   ${checks} checks (top level and children), level ${sweepReport?.level ?? '?'}; runs: ${sweeps.map((s) => ms(s.ms).trim()).join(', ')}`,
    );
    console.log(
      `(c) fleet sweep, ${FLEET} units             ${ms(fleet.ms)}   ${ms(fleet.ms / FLEET).trim()} per unit; levels ${[...fleetLevels].map(([l, n]) => `${l} ${n}`).join(', ')}`,
    );
    console.log('');
    console.log(
      `separate / sweep  = ${(separate.ms / sweep.ms).toFixed(2)}  (time of (a) over (b); (b) also runs every other check)`,
    );
    console.log(
      `fleet20 / one     = ${(fleet.ms / sweep.ms).toFixed(2)}  (${FLEET} units against 1; ${FLEET}x would be no parallelism)`,
    );
    console.log('');
    console.log(`(a) asked ${plan.length} of the runbook's commands:`);
    for (const step of plan) {
      console.log(`    [${step.section}] ${step.command}`);
    }
    if (skipped.length > 0) {
      console.log(`    not answerable by this fake vehicle, so not timed: ${skipped.join('; ')}`);
    }
    console.log(`    left out as they change the vehicle: ${LEFT_OUT.join('; ')}`);
    await simulatedFleet();
    console.log(`bench took ${ms(performance.now() - benchStarted).trim()} in all`);
  } finally {
    await core.close();
    await http.close();
    await sshd.stop();
    await rm(dataDir, { recursive: true, force: true });
  }
}

type SimUnitAddress = {
  name: string;
  host: string;
  port: number;
  user: string;
  clientKeyPath: string;
  hostKeyFingerprint: string;
};

/** Runs `ohtw sim` as its own process, so the simulated vehicles' SSH work is not done on the workstation's thread. */
async function startSimProcess(dataDir: string): Promise<{ units: SimUnitAddress[]; stop(): Promise<void> }> {
  const child = spawn(
    process.execPath,
    ['bin/ohtw.js', 'sim', '--units', String(FLEET), '--json', '--data-dir', dataDir],
    {
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  );
  let text = '';
  const units = await new Promise<SimUnitAddress[]>((resolve, reject) => {
    child.stdout.on('data', (chunk: Buffer) => {
      text += chunk.toString('utf8');
      try {
        resolve(JSON.parse(text) as SimUnitAddress[]);
      } catch {
        // The JSON array is not complete yet.
      }
    });
    child.on('exit', (code) => reject(new Error(`ohtw sim ended early (exit ${code ?? '?'})`)));
  });
  return {
    units,
    stop: () =>
      new Promise<void>((resolve) => {
        child.on('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}

/**
 * (d) The same fleet sweep against simulated units in a process of their own. Against one sshd on this two-core
 * machine the twenty "vehicles" share the workstation's CPU, so (c) measures the machine; simulated vehicles cost
 * next to nothing, so this shows what the parallel bound itself gives when every vehicle has its own computer.
 */
async function simulatedFleet(): Promise<void> {
  const dataDir = await mkdtemp(join(tmpdir(), 'ohtw-bench-sim-'));
  const sim = await startSimProcess(join(dataDir, 'sim-process'));
  const core = await createCore({ dataDir, face: 'cli', logger: silentLogger, env: {} });
  try {
    for (const unit of sim.units) {
      await core.dispatch('units.add', {
        name: unit.name,
        host: unit.host,
        port: unit.port,
        user: unit.user,
        auth: { kind: 'key', keyPath: unit.clientKeyPath },
      });
      await core.dispatch('units.trust', { name: unit.name, fingerprint: unit.hostKeyFingerprint });
    }
    const names = sim.units.map((u) => u.name);
    const first = names.slice(0, 1);
    await runDiagnosis(core, first);
    const one = await timed(() => runDiagnosis(core, first));
    const all = await timed(() => runDiagnosis(core, names));
    const levels = [...new Set(all.value.map((r) => r.level))].join(', ');
    console.log('');
    console.log(
      `(d) simulated units in their own process: one ${ms(one.ms)}, ${FLEET} units ${ms(all.ms)} (${levels})`,
    );
    console.log(
      `simFleet20 / one = ${(all.ms / one.ms).toFixed(2)}  (${DEFAULT_FLEET_PARALLELISM} sweeps at a time, with vehicles that cost next to nothing)`,
    );
  } finally {
    await core.close();
    await sim.stop();
    await rm(dataDir, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? (error.stack ?? error.message) : String(error));
  process.exitCode = 1;
});
