import { execFileSync } from 'node:child_process';

import { describe, expect, it } from 'vitest';

import { fixedClock } from '../../../electron/core/ports/Clock';
import { answerCommand } from '../../../electron/sim/commands';
import { SimVehicle } from '../../../electron/sim/SimVehicle';
import { buildBatchScript, parseBatchOutput, type Probe } from '../../../electron/core/transport/batch';
import { buildParallelBatchScript } from '../../../electron/core/transport/parallelBatch';
import { shellQuote } from '../../../electron/core/transport/transport';

const NONCE = '0123456789abcdef';
const OHT = { name: 'oht' };

function vehicle(): SimVehicle {
  return new SimVehicle({ name: 'sim-01', clock: fixedClock(Date.UTC(2026, 10, 28, 15, 49, 15)) });
}

/** Probes whose answers do not depend on the machine, so a real sh and the simulator must agree byte for byte. */
const PORTABLE_PROBES: Probe[] = [
  { key: 'a', command: "echo 'quoted' && echo two" },
  { key: 'b.c', command: 'printf no-newline', timeoutS: 2 },
  { key: 'fails', command: 'echo out; exit 3' },
  { key: 'empty', command: 'true' },
  { key: 'missing', command: 'nosuch-tool --version' },
  { key: 'stderr', command: 'echo to-err >&2; echo to-out' },
  { key: 'multi/line', command: "printf '%s\\n' one two\nfalse" },
  { key: 'quotes:x', command: `echo "it's" 'a "test"'` },
];

describe('batch scripts answered by the simulator', () => {
  it('prints exactly what a real sh prints for the same script', () => {
    const script = buildBatchScript(PORTABLE_PROBES, NONCE);
    const real = execFileSync('sh', ['-c', script], { encoding: 'utf8' });
    const sim = answerCommand(vehicle(), script, OHT);
    expect(sim).toEqual({ stdout: real, stderr: '', exitCode: 0 });
  });

  it('answers the same through sudo -n sh -c, as the transport sends privileged batches', () => {
    const script = buildBatchScript(PORTABLE_PROBES, NONCE);
    const plain = answerCommand(vehicle(), script, OHT);
    expect(answerCommand(vehicle(), `sudo -n sh -c ${shellQuote(script)}`, OHT)).toEqual(plain);
  });

  it('runs the parallel script in its shell (background jobs, wait, answer files) to the answers a real sh gives', () => {
    const script = buildParallelBatchScript(PORTABLE_PROBES, NONCE);
    const keys = PORTABLE_PROBES.map((p) => p.key);
    const real = parseBatchOutput(execFileSync('sh', ['-c', script], { encoding: 'utf8' }), NONCE, keys);
    const sim = parseBatchOutput(answerCommand(vehicle(), script, OHT).stdout, NONCE, keys);
    expect(sim).toEqual(real);
    expect([...sim.values()].every((output) => !output.truncated)).toBe(true);
  });

  it('answers vehicle probes that the workstation splits back per probe', () => {
    const v = vehicle();
    v.crashService('firmware');
    const probes: Probe[] = [
      { key: 'svc', command: 'systemctl show -p ActiveState,NRestarts oht50-backend oht50-firmware' },
      { key: 'time', command: 'date +%s' },
      { key: 'who', command: 'sudo -n id -un' },
      { key: 'firmware-up', command: 'systemctl is-active oht50-firmware' },
      { key: 'io', command: 'iotop -b -n 1' },
    ];
    const out = answerCommand(v, buildBatchScript(probes, NONCE), OHT);
    const results = parseBatchOutput(
      out.stdout,
      NONCE,
      probes.map((p) => p.key),
    );
    expect(results.get('svc')).toEqual({
      key: 'svc',
      exitCode: 0,
      stdout: 'NRestarts=0\nActiveState=active\n\nNRestarts=1\nActiveState=failed',
      truncated: false,
    });
    expect(results.get('time')?.stdout).toBe('1795880955');
    expect(results.get('who')?.stdout).toBe('root');
    expect(results.get('firmware-up')).toMatchObject({ exitCode: 3, stdout: 'failed' });
    expect(results.get('io')).toMatchObject({ exitCode: 127, stdout: 'sh: 1: iotop: not found' });
  });

  it('interprets a script that only looks like a batch as an ordinary script', () => {
    const script = buildBatchScript([{ key: 'a', command: 'echo hi' }], NONCE).replace('timeout 5', 'timeout 6 ');
    const r = answerCommand(vehicle(), script, OHT);
    // `exec 2>&1` ran, so the complaint about `if` lands on stdout after the first marker.
    expect(r).toEqual({
      stdout: `\n@@ohtw:${NONCE}:begin:a\nsh: 3: simulator: compound commands are not simulated\n`,
      stderr: '',
      exitCode: 2,
    });
  });
});
