/**
 * The fleet's logbook at years of history: 50 units × 2 years with 1,000,000 diagnoses (every check row of every
 * sweep) and 200,000 other entries (backups, verifies, register writes, procedure runs with step attempts and
 * notes, restores, settings), all written by the product's own writers (HistoryRepository.saveDiagnosis and
 * appendAudit, the procedures' RunStore), then timed: a unit's timeline page, filtered fleet pages, full-text
 * queries and a year's site report, each as p50/p95 over repeated runs.
 *
 * Building takes long on a shared two-core machine, so the history is built once into a file and reused:
 *   npx tsx bench/history.ts [--file PATH] [--rebuild] [--diagnoses N] [--others N] [--runs N]
 * (default file: $TMPDIR/ohtw-bench-history/history.sqlite3). Prints figures; asserts nothing about absolute times.
 */
import { randomUUID } from 'node:crypto';
import { existsSync, mkdirSync, rmSync, statSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { performance } from 'node:perf_hooks';

import type { LogbookFilter } from '../shared/domain/logbook';
import { AuditKeyring, givenKeySource } from '../electron/core/history/auditKey';
import { HistoryRepository } from '../electron/core/history/HistoryRepository';
import { openHistoryDatabase, type Database } from '../electron/core/history/openDatabase';
import { LogbookService } from '../electron/core/logbook/LogbookService';
import { siteReport } from '../electron/core/logbook/siteReport';
import type { Clock } from '../electron/core/ports/Clock';
import { emptyOutcome } from '../electron/core/procedures/runner/execute';
import { RunStore } from '../electron/core/procedures/runner/runStore';
import { fleetReport } from '../test/support/logbook/fleetHistory';
import { DEFAULT_VEHICLE_PROFILE } from '../shared/domain/unit';

/** The bench's history is keyed like any other; its key is fixed because the history is thrown away. */
const BENCH_AUDIT = { keys: new AuditKeyring([givenKeySource(Buffer.alloc(32, 9), 'the bench key')]), headFile: null };

const DAY = 86_400_000;
const UNITS = 50;
const TECHNICIANS = ['an', 'binh', 'chi', 'dung', 'giang', 'hoa', 'khanh', 'linh'];
const NOTE_WORDS = [
  'cable',
  'sensor',
  'wheel',
  'belt',
  'cleaned',
  'tightened',
  'replaced',
  'checked',
  'rail',
  'hoist',
  'grease',
  'connector',
  'dock',
  'battery',
];

function arg(name: string): string | undefined {
  const at = process.argv.indexOf(`--${name}`);
  return at > 0 ? process.argv[at + 1] : undefined;
}

function out(line: string): void {
  process.stdout.write(`${line}\n`);
}

const FILE = arg('file') ?? join(tmpdir(), 'ohtw-bench-history', 'history.sqlite3');
const DIAGNOSES = Number(arg('diagnoses') ?? 1_000_000);
const OTHERS = Number(arg('others') ?? 200_000);
const RUNS = Number(arg('runs') ?? 200);
const END = Date.parse('2026-11-30T00:00:00Z');
const START = END - 730 * DAY;

const unitName = (i: number) => `unit-${String(i + 1).padStart(2, '0')}`;

/** A clock the build moves along the two years, so that what the writers stamp lands where it belongs. */
function movableClock(): Clock & { at: number } {
  const clock = {
    at: START,
    now: () => clock.at,
    nowIso: () => new Date(clock.at).toISOString(),
  };
  return clock;
}

const PROCEDURE = JSON.stringify({
  id: 'routine.weekly-maintenance',
  version: 1,
  category: 'routine',
  title: { en: 'Weekly maintenance', vi: 'Bảo trì hằng tuần' },
  steps: [{ id: 'inspect', kind: 'manual', title: { en: 'Inspect the hoist', vi: 'Kiểm tra cơ cấu nâng' } }],
});

function buildHistory(): void {
  mkdirSync(dirname(FILE), { recursive: true });
  for (const suffix of ['', '-wal', '-shm']) {
    rmSync(`${FILE}${suffix}`, { force: true });
  }
  const db = openHistoryDatabase(FILE);
  const clock = movableClock();
  const history = new HistoryRepository(db, clock, BENCH_AUDIT);
  const runs = new RunStore(db);
  for (let u = 0; u < UNITS; u += 1) {
    history.addUnit({
      name: unitName(u),
      host: `10.10.1.${u + 10}`,
      port: 22,
      user: 'oht',
      auth: { kind: 'key', keyPath: '/home/tech/.ssh/oht50_ed25519' },
      profile: DEFAULT_VEHICLE_PROFILE,
      hostKey: null,
      createdAt: new Date(START - DAY).toISOString(),
      lastLevel: null,
      lastRunAt: null,
    });
  }
  const started = performance.now();
  const step = (END - START) / DIAGNOSES;
  const otherEvery = DIAGNOSES / OTHERS;
  let others = 0;
  const BATCH = 2000;
  for (let i = 0; i < DIAGNOSES; i += BATCH) {
    // Many writes per commit, so the build is not dominated by commits; each write is still the product's own.
    const batch = db.transaction(() => {
      for (let j = i; j < Math.min(i + BATCH, DIAGNOSES); j += 1) {
        const u = j % UNITS;
        const sweep = Math.floor(j / UNITS);
        clock.at = Math.round(START + j * step);
        // A unit's firmware crashes now and then for a few sweeps; its E-Stop is pressed now and then.
        const crash = (sweep + u * 37) % 1500 < 3;
        const estop = (sweep + u * 91) % 2300 < 2;
        history.saveDiagnosis(
          fleetReport(unitName(u), clock.at, { seq: sweep, firmwareFailed: crash, estopPressed: estop }, randomUUID()),
        );
        while (others < OTHERS && others * otherEvery <= j) {
          others += writeOther(history, runs, clock, others);
        }
      }
    });
    batch();
    if ((i / BATCH) % 25 === 0) {
      const done = Math.min(i + BATCH, DIAGNOSES);
      const rate = done / ((performance.now() - started) / 1000);
      out(`  built ${done} diagnoses, ${others} other entries (${rate.toFixed(0)} diagnoses/s)`);
    }
  }
  db.pragma('wal_checkpoint(TRUNCATE)');
  // The statistics the planner uses are what the product's next open gathers (openHistoryDatabase runs optimize).
  db.close();
  out(`built in ${((performance.now() - started) / 1000).toFixed(0)} s`);
}

/** One of the other entries, in turn: what technicians do between sweeps. Returns how many logbook entries it made. */
function writeOther(
  history: HistoryRepository,
  runs: RunStore,
  clock: { at: number; nowIso(): string },
  n: number,
): number {
  const unit = unitName((n * 7) % UNITS);
  const actor = TECHNICIANS[n % TECHNICIANS.length] ?? 'an';
  const word = (k: number) => NOTE_WORDS[(n * 13 + k) % NOTE_WORDS.length] ?? 'checked';
  switch (n % 10) {
    case 0:
    case 1: {
      history.appendAudit({
        actor,
        unit,
        action: 'backup.run',
        outcome: n % 50 === 0 ? 'failed' : 'ok',
        details:
          n % 50 === 0
            ? { code: 'CONNECT_FAILED', message: 'connection timed out' }
            : {
                backupId: randomUUID(),
                files: 4100 + (n % 90),
                bytes: 310_000_000 + n,
                newBytes: 2_000_000 + (n % 1000),
                profile: 'default@1',
                database: 'online',
                databases: ['oht50.db'],
                reusedFiles: 4000,
                warnings: 0,
              },
      });
      return 1;
    }
    case 2:
      history.appendAudit({
        actor,
        unit,
        action: 'backup.verify',
        outcome: n % 97 === 0 ? 'failed' : 'ok',
        details: { backupId: randomUUID(), checkedFiles: 4100, problems: n % 97 === 0 ? 1 : 0 },
      });
      return 1;
    case 3:
      history.appendAudit({
        actor,
        unit,
        action: n % 2 === 0 ? 'rs485.write' : 'rs485.clearErrors',
        outcome: 'ok',
        details: {
          module: 'power',
          slave: 2,
          profile: 'power-code@1',
          register: 'chargerVoltageSet',
          address: '0x0030',
          safetyCritical: false,
          confirmed: true,
          oldRaw: 252,
          oldText: '25.2 V',
          newRaw: 245,
          newText: '24.5 V',
          message: 'written and read back',
        },
      });
      return 1;
    case 4:
    case 5:
    case 6:
      return writeProcedureRun(history, runs, clock, unit, actor, `${word(1)} ${word(2)} ${word(3)} on the ${word(4)}`);
    case 7:
      history.appendAudit({
        actor,
        unit: null,
        action: 'settings.thresholds',
        outcome: 'ok',
        details: { before: {}, after: {} },
      });
      return 1;
    case 8:
      history.appendAudit({
        actor,
        unit,
        action: 'restore.end',
        outcome: 'ok',
        details: { transactionId: randomUUID(), backupId: randomUUID(), result: 'committed', reason: null },
      });
      return 1;
    default:
      history.appendAudit({
        actor,
        unit,
        action: 'hostkey.trust',
        outcome: 'ok',
        details: { algorithm: 'ssh-ed25519', fingerprint: `SHA256:${'x'.repeat(43)}`, previous: null },
      });
      return 1;
  }
}

/** A short procedure run: started, a manual step with a note, ended; its steps and notes enter by triggers. */
function writeProcedureRun(
  history: HistoryRepository,
  runs: RunStore,
  clock: { nowIso(): string },
  unit: string,
  actor: string,
  note: string,
): number {
  const runId = randomUUID();
  runs.createRun({
    id: runId,
    procedureId: 'routine.weekly-maintenance',
    procedureVersion: 1,
    procedureJson: PROCEDURE,
    params: {},
    units: [unit],
    startedBy: actor,
    startedAt: clock.nowIso(),
    origin: { source: 'shipped', file: 'routine.weekly-maintenance.json', supersedesShipped: null },
  });
  history.appendAudit({
    actor,
    unit,
    action: 'procedure.run.start',
    outcome: 'ok',
    details: { runId, procedureId: 'routine.weekly-maintenance', procedureVersion: 1, params: {} },
  });
  runs.addAttempt(runId, {
    stepId: 'inspect',
    unit,
    status: 'done',
    actor,
    startedAt: clock.nowIso(),
    endedAt: clock.nowIso(),
    outcome: { ...emptyOutcome(), message: `confirmed: ${note}`, confirmed: true },
    evidence: [
      {
        kind: 'note',
        name: 'note',
        mediaType: 'text/plain',
        content: Buffer.from(note),
        addedBy: actor,
        addedAt: clock.nowIso(),
      },
    ],
  });
  history.appendAudit({
    actor,
    unit,
    action: 'procedure.run.end',
    outcome: 'ok',
    details: { runId, state: 'completed' },
  });
  // Start, the step, its note, the end.
  return 4;
}

function percentile(sorted: readonly number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;
}

function time(label: string, runs: number, work: (i: number) => unknown): { p50: number; p95: number } {
  const samples: number[] = [];
  work(0);
  for (let i = 0; i < runs; i += 1) {
    const t = performance.now();
    work(i);
    samples.push(performance.now() - t);
  }
  samples.sort((a, b) => a - b);
  const result = { p50: percentile(samples, 50), p95: percentile(samples, 95) };
  out(`${label.padEnd(58)} p50 ${result.p50.toFixed(2).padStart(8)} ms   p95 ${result.p95.toFixed(2).padStart(8)} ms`);
  return result;
}

async function measure(db: Database): Promise<void> {
  const history = new HistoryRepository(db, { now: () => END, nowIso: () => new Date(END).toISOString() }, BENCH_AUDIT);
  const logbook = new LogbookService(db);
  const page = (filter: LogbookFilter, cursor?: string) => logbook.page(filter, cursor, 50);
  // A cursor half-way down a unit's timeline, for a page deep in the history.
  let deep: string | undefined;
  for (let i = 0, c: string | undefined; i < 200; i += 1) {
    const p = page({ units: ['unit-07'] }, c);
    c = p.next ?? undefined;
    deep = c;
  }
  out('');
  time("unit's timeline, first page (50)", RUNS, (i) => page({ units: [unitName(i % UNITS)] }));
  time("unit's timeline, a page 10,000 entries deep", RUNS, () => page({ units: ['unit-07'] }, deep));
  const fleetFilters: LogbookFilter[] = [
    { kinds: ['backup'] },
    { kinds: ['verify'], outcomes: ['failed'] },
    { actors: ['chi'], kinds: ['procedure-step'] },
    { levels: ['ERROR'] },
    { kinds: ['finding'], since: '2026-01-01' },
    { units: ['unit-12'], kinds: ['register-write'] },
  ];
  time('filtered fleet page (50), six filters in turn', RUNS, (i) => page(fleetFilters[i % fleetFilters.length] ?? {}));
  // A word of the crash findings' evidence, a word of the notes, two words of a note, a prefix.
  const queries = ['segmentation', 'connector', 'cleaned tightened', 'connect*'];
  time('full-text query page (50), four queries in turn', RUNS, (i) =>
    page({ query: queries[i % queries.length] ?? '' }),
  );
  const deps = { db, history, logbook, backups: { list: async () => [] }, now: () => new Date(END).toISOString() };
  const samples: number[] = [];
  // One run first to warm the page cache, as every timing above does.
  await siteReport(deps, { since: '2025-11-30', until: '2026-11-29', backupMaxAgeDays: 7 });
  for (let i = 0; i < 7; i += 1) {
    const t = performance.now();
    await siteReport(deps, { since: '2025-11-30', until: '2026-11-29', backupMaxAgeDays: 7 });
    samples.push(performance.now() - t);
  }
  samples.sort((a, b) => a - b);
  out(
    `${"a year's site report (7 runs)".padEnd(58)} p50 ${percentile(samples, 50).toFixed(0).padStart(8)} ms   max ${(samples[samples.length - 1] ?? 0).toFixed(0).padStart(8)} ms`,
  );
}

async function main(): Promise<void> {
  out(`machine: ${cpus().length} cores (${cpus()[0]?.model ?? '?'}), Node ${process.version}`);
  if (!existsSync(FILE) || process.argv.includes('--rebuild')) {
    out(`building ${FILE}: ${DIAGNOSES} diagnoses and ${OTHERS} other entries for ${UNITS} units over 2 years…`);
    buildHistory();
  } else {
    out(`reusing ${FILE} (--rebuild to build it again)`);
  }
  const db = openHistoryDatabase(FILE);
  const count = (sql: string) => Number(db.prepare(sql).pluck().get());
  const size = statSync(FILE).size;
  const entries = count('SELECT count(*) FROM logbook');
  out(
    `history: ${count('SELECT count(*) FROM diagnostic_runs')} diagnoses (${count('SELECT count(*) FROM check_results')} check rows), ${count("SELECT count(*) FROM logbook WHERE source = 'finding'")} new findings, ${count("SELECT count(*) FROM logbook WHERE source NOT IN ('diagnosis', 'finding')")} other entries; ${entries} logbook entries; ${(size / 2 ** 30).toFixed(2)} GiB (${(size / count('SELECT count(*) FROM diagnostic_runs')).toFixed(0)} bytes per diagnosis, evidence blobs: ${count('SELECT count(*) FROM evidence_blobs')})`,
  );
  await measure(db);
  db.close();
}

await main();
