/**
 * How long the technician waits for a diagnosis, against ONE real OpenSSH sshd on this machine with the vehicle's
 * file layout (needs root, as the sshd tests do), a fake backend and firmware on 127.0.0.1, side by side:
 *
 *   (a) the runbook's read-only commands, each as its own OpenSSH `ssh` invocation, one after another, as a
 *       technician types them;
 *   (b) the same commands batched into ONE `ssh` call;
 *   (c) the whole `ohtw diagnose UNIT --json` command (a new process: start-up, history, SSH, sweep, report);
 *   (d) `ohtw diagnose` of 3 units registered against the same sshd, against one unit;
 *   (e) `ohtw diagnose --all` of 50 simulated units (`--fleet N`; `ohtw sim`, in a process of their own) against one
 *       of them (`--only fleet`: this case alone).
 *
 * Rounds alternate and medians are printed with their ratios; nothing is asserted about absolute times.
 * Run: npx tsx bench/diagnose-sweep.ts [--rounds N] [--fleet N] [--only fleet]
 */
import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';

import type { DiagnosisReport } from '../shared/domain/health';
import { createCore } from '../electron/core/createCore';
import { silentLogger } from '../electron/core/ports/Logger';
import { shellQuote } from '../electron/core/transport/transport';
import { startFakeVehicleHttp, type FakeVehicleHttp } from '../test/support/fakeVehicleHttp/fakeVehicleHttp';
import { opensshClientArgs } from '../test/support/sshd/opensshClient';
import { startSshd, type SshdFixture } from '../test/support/sshd/startSshd';
import { startSimProcess } from './simProcess';

const ROOT = resolve(import.meta.dirname, '..');
const { values } = parseArgs({
  options: {
    rounds: { type: 'string', default: '5' },
    fleet: { type: 'string', default: '50' },
    // 'fleet': (e) alone, the fifty units of a site against one, without the sshd cases.
    only: { type: 'string' },
  },
});
const ROUNDS = Number(values.rounds);
const RUNNING = { LoadState: 'loaded', ActiveState: 'active', SubState: 'running', UnitFileState: 'enabled' };
const SIM_FLEET = Number(values.fleet);

/**
 * The runbook's read-only commands, each once, as a technician types them. Left out: what changes the vehicle
 * (stop, start, restart, reset, chown, logrotate, find -delete, drop_caches, iptables, tar, cp), what never ends
 * by itself (journalctl -f, tail -f, watch, htop, iotop, nethogs, psql's prompt) and the whole-journal greps. Two
 * are bounded the way a technician bounds them: `ping -c 1`, `top -b -n 1`.
 */
const RUNBOOK_COMMANDS: { section: string; command: string }[] = [
  { section: 'System Down', command: 'sudo systemctl status oht50-backend' },
  { section: 'System Down', command: 'sudo systemctl status oht50-firmware' },
  { section: 'System Down', command: 'sudo journalctl -u oht50-backend -n 50' },
  { section: 'System Down', command: 'sudo journalctl -u oht50-firmware -n 50' },
  { section: 'System Down', command: 'curl http://localhost:8000/health/' },
  { section: 'System Down', command: 'curl http://localhost:8081/health/' },
  { section: 'E-Stop', command: 'curl http://localhost:8000/api/v1/safety/status' },
  { section: 'E-Stop', command: 'sudo cat /sys/class/gpio/gpio59/value' },
  { section: 'E-Stop', command: 'curl http://localhost:8000/api/v1/system/status' },
  { section: 'Communication Failure', command: 'ping -c 1 -W 1 8.8.8.8' },
  { section: 'Communication Failure', command: 'ping -c 1 -W 1 center-server' },
  { section: 'Communication Failure', command: 'ip addr show' },
  { section: 'Communication Failure', command: 'ip route show' },
  { section: 'Daily Health Checks', command: 'curl http://localhost:8000/health/detailed' },
  { section: 'Daily Health Checks', command: 'df -h' },
  { section: 'Daily Health Checks', command: 'du -sh /opt/oht50/logs/' },
  { section: 'Daily Health Checks', command: 'free -h' },
  { section: 'Daily Health Checks', command: 'top -b -n 1' },
  { section: 'Daily Health Checks', command: 'netstat -tlnp | grep :8000' },
  { section: 'Daily Health Checks', command: 'netstat -tlnp | grep :8081' },
  { section: 'Monthly Maintenance', command: 'curl http://localhost:8000/api/v1/monitoring/metrics' },
  { section: 'Monthly Maintenance', command: 'sudo systemctl status --failed' },
  { section: "Service Won't Start", command: 'sudo systemctl status postgresql' },
  { section: "Service Won't Start", command: 'sudo systemctl status redis' },
  { section: "Service Won't Start", command: 'sudo cat /opt/oht50/config/system.yaml' },
  { section: "Service Won't Start", command: 'ls -la /opt/oht50/' },
  { section: "Service Won't Start", command: 'sudo lsof -i :8000' },
  {
    section: 'API Not Responding',
    command: 'curl -H "Origin: http://localhost:3000" http://localhost:8000/api/v1/config/',
  },
  { section: 'API Not Responding', command: 'curl -v http://localhost:8000/health/' },
  { section: 'Memory/CPU Issues', command: 'ps aux | grep oht50' },
  { section: 'Key Metrics', command: 'curl http://localhost:8000/api/v1/monitoring/performance' },
  { section: 'Key Metrics', command: 'curl http://localhost:8000/api/v1/monitoring/errors' },
  { section: 'Unauthorized Access', command: 'sudo ss -tlnp | grep :8000' },
  { section: 'Data Recovery', command: 'curl http://localhost:8000/api/v1/telemetry/current' },
];

type Timed<T> = { value: T; ms: number };

async function timed<T>(work: () => Promise<T>): Promise<Timed<T>> {
  const started = performance.now();
  const value = await work();
  return { value, ms: performance.now() - started };
}

function run(file: string, args: readonly string[], timeoutMs = 120_000): Promise<{ code: number; stdout: string }> {
  return new Promise((resolvePromise) => {
    execFile(file, args, { cwd: ROOT, timeout: timeoutMs, maxBuffer: 64 * 1024 * 1024 }, (error, stdout) => {
      const code = error ? (typeof error.code === 'number' ? error.code : 255) : 0;
      resolvePromise({ code, stdout: String(stdout) });
    });
  });
}

const ssh = (sshd: SshdFixture, command: string) => run('ssh', [...opensshClientArgs(sshd), command], 30_000);

/** The whole CLI command, as a technician runs it: a new node process each time. */
async function ohtw(args: readonly string[]): Promise<DiagnosisReport[]> {
  const { code, stdout } = await run(process.execPath, ['bin/ohtw.js', ...args]);
  if (code > 3) {
    throw new Error(`ohtw ${args.join(' ')} exited ${code}: ${stdout.slice(0, 400)}`);
  }
  const parsed = JSON.parse(stdout) as DiagnosisReport | DiagnosisReport[];
  return Array.isArray(parsed) ? parsed : [parsed];
}

/** The vehicle's ports and paths in a command, where the fake vehicle has them elsewhere. */
function onFakeVehicle(command: string, sshd: SshdFixture, http: FakeVehicleHttp): string {
  return command
    .replaceAll('localhost:8000', `localhost:${http.backendPort}`)
    .replaceAll('localhost:8081', `localhost:${http.firmwarePort}`)
    .replaceAll(':8000', `:${http.backendPort}`)
    .replaceAll(':8081', `:${http.firmwarePort}`)
    .replaceAll('/sys/class/gpio/gpio59/value', sshd.estopGpioPath)
    .replaceAll('/opt/oht50', sshd.installDir);
}

/** Each command as the fake vehicle runs it: as written, else without sudo (found out once, untimed). */
async function runnableForms(sshd: SshdFixture, commands: readonly string[]): Promise<string[]> {
  const forms = commands.map((c) => (c.startsWith('sudo ') ? [c, c.slice('sudo '.length)] : [c]));
  const script = forms
    .flat()
    .map((form) => `sh -c ${shellQuote(form)} </dev/null >/dev/null 2>&1; echo "$?"`)
    .join('\n');
  const codes = (await ssh(sshd, script)).stdout.trim().split('\n');
  let next = 0;
  return forms.map((options) => {
    // A command that fails on the fake vehicle (no PostgreSQL here) is still typed and still costs its time.
    const chosen = options.find((_form, i) => codes[next + i] === '0') ?? options[options.length - 1] ?? '';
    next += options.length;
    return chosen;
  });
}

const median = (values: readonly number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? 0;
};
const ms = (value: number): string => `${Math.round(value).toLocaleString('en-US')} ms`.padStart(10);

/** Runs the cases in turn for ROUNDS rounds (each first in its turn) and returns each one's times. */
async function rounds(cases: readonly (() => Promise<number>)[]): Promise<number[][]> {
  const times = cases.map(() => [] as number[]);
  for (let round = 0; round < ROUNDS; round += 1) {
    for (let k = 0; k < cases.length; k += 1) {
      const index = (round + k) % cases.length;
      times[index]?.push(await (cases[index] as () => Promise<number>)());
    }
  }
  return times;
}

async function addUnits(
  dataDir: string,
  units: readonly { name: string; host: string; port: number; user: string; keyPath: string; fingerprint: string }[],
  profile?: Record<string, unknown>,
): Promise<void> {
  const core = await createCore({ dataDir, face: 'cli', logger: silentLogger, env: {} });
  try {
    for (const unit of units) {
      const added = await core.dispatch('units.add', {
        name: unit.name,
        host: unit.host,
        port: unit.port,
        user: unit.user,
        auth: { kind: 'key', keyPath: unit.keyPath },
        ...(profile ? { profile } : {}),
      });
      const trusted = await core.dispatch('units.trust', { name: unit.name, fingerprint: unit.fingerprint });
      if (!added.ok || !trusted.ok) {
        throw new Error(`could not add ${unit.name}: ${JSON.stringify(added.ok ? trusted : added)}`);
      }
    }
  } finally {
    await core.close();
  }
}

async function againstSshd(): Promise<void> {
  const sshd = await startSshd();
  const http = await startFakeVehicleHttp({ backend: 8000, firmware: 8081 });
  const dataDir = await mkdtemp(join(tmpdir(), 'ohtw-bench-'));
  try {
    await sshd.setService('oht50-backend', RUNNING);
    await sshd.setService('oht50-firmware', RUNNING);
    await sshd.setEstopPin('1');
    await sshd.createDatabase();
    const profile = {
      backendPort: http.backendPort,
      firmwarePort: http.firmwarePort,
      installDir: sshd.installDir,
      estopGpioPath: sshd.estopGpioPath,
    };
    const names = ['bench-01', 'bench-02', 'bench-03'];
    await addUnits(
      dataDir,
      names.map((name) => ({
        name,
        host: sshd.host,
        port: sshd.port,
        user: sshd.user,
        keyPath: sshd.clientKeyPath,
        fingerprint: sshd.hostKeyFingerprint,
      })),
      profile,
    );
    const commands = await runnableForms(
      sshd,
      RUNBOOK_COMMANDS.map((c) => onFakeVehicle(c.command, sshd, http)),
    );
    const batch = commands.map((c) => `${c} </dev/null`).join('\n');
    const data = ['--data-dir', dataDir, '--json'];
    // Warm-up, untimed: the first ssh pays for cold caches, the first CLI run for a stale build.
    await ssh(sshd, 'true');
    await ohtw(['diagnose', 'bench-01', ...data]);

    const sweeps: number[] = [];
    const [separate, batched, cli, three] = await rounds([
      async () =>
        (
          await timed(async () => {
            for (const command of commands) {
              await ssh(sshd, command);
            }
          })
        ).ms,
      async () => (await timed(() => ssh(sshd, batch))).ms,
      async () => {
        const result = await timed(() => ohtw(['diagnose', 'bench-01', ...data]));
        sweeps.push(result.value[0]?.durationMs ?? Number.NaN);
        return result.ms;
      },
      async () => (await timed(() => ohtw(['diagnose', ...names, ...data]))).ms,
    ]);
    const [a, b, c, d] = [separate, batched, cli, three].map((t) => median(t ?? []));
    const last = await ohtw(['diagnose', 'bench-01', ...data]);
    console.log('OHT-50 Workstation: diagnosis against one real OpenSSH sshd on 127.0.0.1, medians of', ROUNDS);
    console.log(`fake backend :${http.backendPort}, fake firmware :${http.firmwarePort}`);
    console.log('');
    console.log(`(a) ${commands.length} runbook commands, one ssh each   ${ms(a ?? 0)}`);
    console.log(`(b) the same, batched in one ssh call    ${ms(b ?? 0)}`);
    console.log(
      `(c) ohtw diagnose UNIT --json, whole     ${ms(c ?? 0)}   reported sweep ${ms(median(sweeps)).trim()}, level ${last[0]?.level ?? '?'}, ${last[0]?.checks.length ?? 0} checks`,
    );
    console.log(`(d) ohtw diagnose of 3 units, whole      ${ms(d ?? 0)}`);
    console.log('');
    console.log(`diagnose / one ssh batch     = ${((c ?? 0) / (b ?? 1)).toFixed(2)}   (c over b)`);
    console.log(`diagnose / one ssh each      = ${((c ?? 0) / (a ?? 1)).toFixed(2)}   (c over a)`);
    console.log(
      `diagnose 3 units / 1 unit    = ${((d ?? 0) / (c ?? 1)).toFixed(2)}   (d over c, one sshd for all three)`,
    );
    console.log('');
    console.log('(a) and (b) ran:');
    RUNBOOK_COMMANDS.forEach((step, i) => console.log(`    [${step.section}] ${commands[i] ?? ''}`));
  } finally {
    await http.close();
    await sshd.stop();
    await rm(dataDir, { recursive: true, force: true });
  }
}

/** (e) The fleet command against simulated units, which cost next to nothing: what the parallel bound gives. */
async function simulatedFleet(): Promise<void> {
  const dataDir = await mkdtemp(join(tmpdir(), 'ohtw-bench-sim-'));
  const sim = await startSimProcess(
    ['bin/ohtw.js', 'sim', '--units', String(SIM_FLEET), '--json', '--data-dir', join(dataDir, 'sim-process')],
    'ohtw sim',
  );
  try {
    await addUnits(
      dataDir,
      sim.units.map((u) => ({ ...u, keyPath: u.clientKeyPath, fingerprint: u.hostKeyFingerprint })),
    );
    const first = sim.units[0]?.name ?? 'sim-01';
    const data = ['--data-dir', dataDir, '--json'];
    await ohtw(['diagnose', first, ...data]);
    const [one, all] = await rounds([
      async () => (await timed(() => ohtw(['diagnose', first, ...data]))).ms,
      async () => (await timed(() => ohtw(['diagnose', '--all', ...data]))).ms,
    ]);
    const [o, f] = [one, all].map((t) => median(t ?? []));
    console.log('');
    console.log(
      `(e) simulated units in their own process: ohtw diagnose ONE ${ms(o ?? 0)}, --all (${SIM_FLEET}) ${ms(f ?? 0)}`,
    );
    console.log(`diagnose --all ${SIM_FLEET} / 1 = ${((f ?? 0) / (o ?? 1)).toFixed(2)}   (whole commands)`);
  } finally {
    await sim.stop();
    await rm(dataDir, { recursive: true, force: true });
  }
}

const started = performance.now();
try {
  if (values.only !== 'fleet') {
    await againstSshd();
  }
  await simulatedFleet();
  console.log(`bench took ${ms(performance.now() - started).trim()} in all`);
} catch (error: unknown) {
  console.error(error instanceof Error ? (error.stack ?? error.message) : String(error));
  process.exitCode = 1;
}
