/**
 * What every CLI call pays before it does anything: `ohtw --version` against `node -e 0`, and a command that
 * opens the core (`ohtw units list --json` on an empty data folder) against the same floor. Rounds alternate
 * between the commands and medians are printed, so the machine's drifting load hits each of them alike.
 * Run: npx tsx bench/cli-startup.ts [--rounds N]. Prints figures and ratios; asserts nothing.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';

const ROOT = resolve(import.meta.dirname, '..');
const { values } = parseArgs({ options: { rounds: { type: 'string', default: '15' } } });
const ROUNDS = Number(values.rounds);

type Case = { label: string; argv: string[] };

function timeOnce(argv: readonly string[]): number {
  const started = performance.now();
  const result = spawnSync(process.execPath, argv, { cwd: ROOT, encoding: 'utf8' });
  const ms = performance.now() - started;
  if (result.status !== 0) {
    throw new Error(`${argv.join(' ')} exited ${String(result.status)}: ${result.stderr}`);
  }
  return ms;
}

const median = (values: readonly number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? 0;
};

function main(): void {
  const dataDir = mkdtempSync(join(tmpdir(), 'ohtw-bench-cli-'));
  const cases: Case[] = [
    { label: 'node -e 0', argv: ['-e', '0'] },
    { label: 'ohtw --version', argv: ['bin/ohtw.js', '--version'] },
    { label: 'ohtw units list --json', argv: ['bin/ohtw.js', 'units', 'list', '--json', '--data-dir', dataDir] },
  ];
  try {
    // One untimed call of each: a stale or missing build is made here, and the file cache is warm for everyone.
    for (const c of cases) {
      timeOnce(c.argv);
    }
    const times = new Map<Case, number[]>(cases.map((c) => [c, []]));
    for (let round = 0; round < ROUNDS; round += 1) {
      for (let k = 0; k < cases.length; k += 1) {
        const c = cases[(round + k) % cases.length] as Case;
        times.get(c)?.push(timeOnce(c.argv));
      }
    }
    const floor = median(times.get(cases[0] as Case) ?? []);
    const version = spawnSync(process.execPath, ['bin/ohtw.js', '--version'], { cwd: ROOT, encoding: 'utf8' });
    console.log(`CLI start-up, ${ROUNDS} rounds in turn, medians (node ${process.version}):`);
    for (const c of cases) {
      const ms = median(times.get(c) ?? []);
      console.log(`  ${c.label.padEnd(24)} ${ms.toFixed(0).padStart(6)} ms   ${(ms / floor).toFixed(2)}× node -e 0`);
    }
    console.log(`  (ohtw --version printed "${version.stdout.trim()}")`);
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
}

main();
