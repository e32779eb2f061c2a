/**
 * The team server's fleet summary (`ohtw team fleet --server`, the team's view of every unit: last visit and last
 * backup, by whom, on which laptop) at fleet scale, against a real PostgreSQL started in a temporary folder (needs
 * root and Debian's postgresql, as the team tests do): 50 units registered by 3 laptops, N diagnoses (1,000,000
 * unless told) spread over two years, and runs and backup manifests beside them. Timed side by side, in turn: the
 * summary, and the server's bare round trip (SELECT 1) on the same connection; p50/p95 and their ratio are printed.
 * Nothing is asserted. Run: npx tsx bench/team-fleet.ts [--diagnoses N] [--runs N]
 */
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';

import pg from 'pg';

import { TeamServer } from '../electron/core/team/server/TeamServer';
import { serverTeamFleet } from '../electron/core/team/teamFleet';
import { startPostgres } from '../test/support/postgres/startPostgres';

const { values } = parseArgs({
  options: { diagnoses: { type: 'string', default: '1000000' }, runs: { type: 'string', default: '200' } },
});
const DIAGNOSES = Number(values.diagnoses);
const RUNS = Number(values.runs);
const UNITS = 50;
const LAPTOPS = ['laptop-a', 'laptop-b', 'laptop-c'];
const TWO_YEARS_S = 2 * 365 * 86_400;

function percentile(samples: number[], p: number): number {
  const sorted = [...samples].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? 0;
}

async function fill(client: pg.Client): Promise<void> {
  for (const [i, label] of LAPTOPS.entries()) {
    await client.query('INSERT INTO team_devices (device_id, label, technician) VALUES ($1, $2, $3)', [
      `device-${i}`,
      label,
      `technician ${i}`,
    ]);
  }
  await client.query(
    `INSERT INTO team_units (device_id, name, host, port, user_name, key_algorithm, key_fingerprint, removed,
                             updated_at, digest)
     SELECT 'device-' || d, 'unit-' || lpad(u::text, 2, '0'), 'unit-' || u || '.fleet.local', 22, 'oht',
            'ssh-ed25519', 'SHA256:' || repeat('k', 38) || lpad(u::text, 5, '0'), false, now()::text, md5(u || '-' || d)
     FROM generate_series(1, $1) u, generate_series(0, $2) d`,
    [UNITS, LAPTOPS.length - 1],
  );
  const started = performance.now();
  // A diagnosis report as a laptop pushes it, in 100,000-row statements.
  for (let from = 0; from < DIAGNOSES; from += 100_000) {
    await client.query(
      `INSERT INTO team_diagnoses (id, device_id, unit, level, started_at, duration_ms, recorded_by, report)
       SELECT 'diag-' || g, 'device-' || (g % $3), 'unit-' || lpad((g % $4 + 1)::text, 2, '0'),
              (ARRAY['OK', 'WARN', 'ERROR', 'STALE'])[g % 4 + 1],
              now() - make_interval(secs => ($5::bigint * g / $2)), 1200, 'technician ' || (g % $3),
              jsonb_build_object('runId', 'diag-' || g, 'checks', jsonb_build_array(
                jsonb_build_object('id', 'clock', 'level', 'OK', 'message', 'clock is OK')))
       FROM generate_series($1::bigint, least($1::bigint + 99999, $2::bigint - 1)) g`,
      [from, DIAGNOSES, LAPTOPS.length, UNITS, TWO_YEARS_S],
    );
  }
  const records = Math.max(1000, Math.round(DIAGNOSES / 20));
  await client.query(
    `INSERT INTO team_records (entity, id, device_id, unit, at, actor, digest, body)
     SELECT CASE WHEN g % 3 = 0 THEN 'backup' ELSE 'run' END, 'rec-' || g, 'device-' || (g % $2),
            'unit-' || lpad((g % $3 + 1)::text, 2, '0'), now() - make_interval(secs => ($4::bigint * g / $1)),
            'technician ' || (g % $2), md5(g::text), jsonb_build_object('n', g)
     FROM generate_series(0, $1::bigint - 1) g`,
    [records, LAPTOPS.length, UNITS, TWO_YEARS_S],
  );
  await client.query('ANALYZE');
  console.log(
    `team server: ${UNITS} units on ${LAPTOPS.length} laptops, ${DIAGNOSES.toLocaleString('en')} diagnoses, ` +
      `${records.toLocaleString('en')} runs and backup manifests (filled in ${((performance.now() - started) / 1000).toFixed(0)} s)`,
  );
}

async function main(): Promise<void> {
  const postgres = await startPostgres();
  const client = new pg.Client({ connectionString: postgres.adminUrl() });
  try {
    await client.connect();
    const server = new TeamServer(client, 'bench');
    await server.migrate(() => new Date().toISOString());
    await fill(client);
    const summary: number[] = [];
    const roundTrip: number[] = [];
    let units = 0;
    for (let i = 0; i < RUNS + 5; i += 1) {
      let at = performance.now();
      units = (await serverTeamFleet(server, 'device-0')).length;
      const took = performance.now() - at;
      at = performance.now();
      await client.query('SELECT 1');
      const bare = performance.now() - at;
      // The first few warm the caches, as the server's own would be.
      if (i >= 5) {
        summary.push(took);
        roundTrip.push(bare);
      }
    }
    const line = (label: string, samples: number[]) =>
      console.log(
        `${label.padEnd(44)} p50 ${percentile(samples, 50).toFixed(2).padStart(7)} ms   p95 ${percentile(samples, 95)
          .toFixed(2)
          .padStart(7)} ms`,
      );
    line(`fleet summary (${units} units), ${RUNS} runs`, summary);
    line('SELECT 1 on the same connection', roundTrip);
    console.log(
      `ratio at p95: ${(percentile(summary, 95) / Math.max(0.001, percentile(roundTrip, 95))).toFixed(1)}× the round trip`,
    );
  } finally {
    await client.end().catch(() => undefined);
    await postgres.stop();
  }
}

await main();
