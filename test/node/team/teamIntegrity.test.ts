import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { runCli } from '../../../electron/cli/main';
import { captureIo } from '../../support/cli/captureIo';
import { startPostgres, type PostgresFixture } from '../../support/postgres/startPostgres';
import { check, sampleReport, sampleUnit } from '../history/fixtures';
import { openLaptop, TEAM_PASSWORD, type Laptop } from './teamHarness';

const DIAGNOSES = 7;

/**
 * A sync cut in the middle (the server refusing a row half-way through a push; this laptop refusing a row half-way
 * through a pull) and resumed leaves exactly one copy of everything on both sides; a row of one laptop's audit chain
 * rewritten on the server, or the chain cut short there, fails `ohtw audit verify --team` on every laptop.
 */
describe('team sync integrity against a real PostgreSQL', () => {
  let server: PostgresFixture;
  let admin: pg.Client;
  let url: string;
  let a: Laptop;
  let b: Laptop;

  beforeAll(async () => {
    server = await startPostgres();
    url = await server.createTeamDatabase('fleet_integrity', TEAM_PASSWORD, 'fleet_integrity');
    admin = new pg.Client({ connectionString: server.adminUrl('fleet_integrity') });
    await admin.connect();
    // Small batches, so that a cut falls between batches that were committed and ones that were not.
    a = await openLaptop('a', 'Nguyen Van A', { teamBatchSize: 2 });
    b = await openLaptop('b', 'Tran Thi B', { teamBatchSize: 2 });
    await a.call('team.join', { url, deviceLabel: 'laptop-a' });
    await b.call('team.join', { url, deviceLabel: 'laptop-b' });
  });
  afterAll(async () => {
    await admin?.end();
    await a?.close();
    await b?.close();
    await server?.stop();
  });

  const serverCount = async (sql: string, deviceId: string): Promise<number> =>
    Number((await admin.query<{ n: string }>(sql, [deviceId])).rows[0]?.n);

  it('resumes a push cut half-way with exactly one copy of every row on the server', async () => {
    a.core.history.addUnit(sampleUnit('unit-a'));
    for (let i = 0; i < DIAGNOSES; i += 1) {
      const at = new Date(Date.UTC(2026, 11, 1, 8, i)).toISOString();
      a.core.history.saveDiagnosis(sampleReport('unit-a', at, [check('clock', 'OK')]), { actor: 'Nguyen Van A' });
    }
    await admin.query(`
      CREATE FUNCTION cut_push() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF (SELECT count(*) FROM team_diagnoses) >= 3 THEN RAISE EXCEPTION 'network cut'; END IF;
        RETURN NEW;
      END $$;
      CREATE TRIGGER cut_push BEFORE INSERT ON team_diagnoses FOR EACH ROW EXECUTE FUNCTION cut_push();`);
    const cut = (await a.call('team.sync', { wait: true })).result;
    expect(cut?.ok).toBe(false);
    expect(cut?.error).toContain('network cut');
    const me = a.core.history.deviceId();
    const before = await serverCount('SELECT count(*) AS n FROM team_diagnoses WHERE device_id = $1', me);
    expect(before).toBeGreaterThan(0);
    expect(before).toBeLessThan(DIAGNOSES);
    expect((await a.call('team.status', {})).pending).toBeGreaterThan(0);

    await admin.query('DROP TRIGGER cut_push ON team_diagnoses; DROP FUNCTION cut_push()');
    const resumed = (await a.call('team.sync', { wait: true })).result;
    expect(resumed).toMatchObject({ ok: true, error: null });
    expect((await a.call('team.status', {})).pending).toBe(0);
    const again = (await a.call('team.sync', { wait: true })).result;
    expect(again?.pushed).toMatchObject({ diagnoses: 0, units: 0, audit: 0 });

    expect(await serverCount('SELECT count(*) AS n FROM team_diagnoses WHERE device_id = $1', me)).toBe(DIAGNOSES);
    expect(await serverCount('SELECT count(DISTINCT id) AS n FROM team_diagnoses WHERE device_id = $1', me)).toBe(
      DIAGNOSES,
    );
    const localAudit = Number(a.db.prepare('SELECT count(*) FROM audit_log').pluck().get());
    expect(await serverCount('SELECT count(*) AS n FROM team_audit WHERE device_id = $1', me)).toBe(localAudit);
    expect(await serverCount('SELECT count(*) AS n FROM team_units WHERE device_id = $1', me)).toBe(1);
  });

  it('resumes a pull cut half-way with exactly one copy of every pulled row on the laptop', async () => {
    const from = a.core.history.deviceId();
    // This laptop refuses the third pulled diagnosis, as a crash half-way through writing a batch would.
    b.db.exec(`
      CREATE TEMP TRIGGER cut_pull BEFORE INSERT ON main.diagnostic_runs
      WHEN NEW.device_id IS NOT NULL AND (SELECT count(*) FROM diagnostic_runs WHERE device_id IS NOT NULL) >= 2
      BEGIN SELECT RAISE(ABORT, 'laptop closed'); END`);
    const cut = (await b.call('team.sync', { wait: true })).result;
    expect(cut?.ok).toBe(false);
    const pulledSql = 'SELECT count(*) FROM diagnostic_runs WHERE device_id = ?';
    expect(Number(b.db.prepare(pulledSql).pluck().get(from))).toBeLessThan(DIAGNOSES);

    b.db.exec('DROP TRIGGER temp.cut_pull');
    expect((await b.call('team.sync', { wait: true })).result).toMatchObject({ ok: true });
    expect((await b.call('team.sync', { wait: true })).result?.pulled).toMatchObject({ diagnoses: 0, units: 0 });
    expect(Number(b.db.prepare(pulledSql).pluck().get(from))).toBe(DIAGNOSES);
    expect(
      Number(b.db.prepare('SELECT count(DISTINCT id) FROM diagnostic_runs WHERE device_id = ?').pluck().get(from)),
    ).toBe(DIAGNOSES);
    const entries = await b.call('logbook.list', { filter: { units: ['unit-a'], kinds: ['diagnosis'] }, limit: 100 });
    expect(entries.entries.filter((e) => e.code === 'diagnosis')).toHaveLength(DIAGNOSES);
    expect(Number(b.db.prepare('SELECT count(*) FROM team_audit WHERE device_id = ?').pluck().get(from))).toBe(
      Number(a.db.prepare('SELECT count(*) FROM audit_log').pluck().get()),
    );
    expect((await b.call('team.verifyAudit', {})).ok).toBe(true);
  });

  async function verifyTeamOn(laptop: Laptop): Promise<{ code: number; out: string }> {
    const io = captureIo(laptop.env);
    const code = await runCli(['audit', 'verify', '--team', '--data-dir', laptop.dataDir], io);
    return { code, out: io.stdout() + io.stderr() };
  }

  it("fails audit verify --team on both laptops when a row of one laptop's chain is rewritten on the server", async () => {
    // Audited work on both laptops, so that each chain has rows beyond its join.
    for (const [laptop, prefix] of [
      [a, 'a'],
      [b, 'b'],
    ] as const) {
      for (const n of [1, 2, 3]) {
        await laptop.call('units.add', {
          name: `unit-${prefix}${n}`,
          host: `10.0.0.${n}`,
          port: 22,
          user: 'oht',
          auth: { kind: 'key', keyPath: '/home/tech/.ssh/id_ed25519' },
        });
      }
    }
    await a.call('team.sync', { wait: true });
    await b.call('team.sync', { wait: true });
    await a.call('team.sync', { wait: true });
    for (const laptop of [a, b]) {
      const intact = await verifyTeamOn(laptop);
      expect(intact.out).toContain('team audit chains: all intact (2 laptop(s))');
      expect(intact.code).toBe(0);
    }

    const victim = a.core.history.deviceId();
    // The server's append-only triggers stop the team's own role; a superuser with replication rights can pass them.
    await admin.query(`SET session_replication_role = replica`);
    await admin.query(
      `UPDATE team_audit SET details_json = '{"note":"nothing happened"}' WHERE device_id = $1 AND seq = 2`,
      [victim],
    );
    await admin.query(`SET session_replication_role = origin`);

    for (const laptop of [a, b]) {
      const broken = await verifyTeamOn(laptop);
      expect(broken.code).not.toBe(0);
      expect(broken.out).toContain('team audit chains: BROKEN (2 laptop(s))');
      expect(broken.out).toMatch(/laptop-a( \(this laptop\))?: BROKEN at row 2/);
      expect(broken.out).toMatch(/laptop-b( \(this laptop\))?: intact/);
    }
  });

  it("fails audit verify --team when one laptop's chain is cut short on the server", async () => {
    const victim = b.core.history.deviceId();
    await admin.query(`SET session_replication_role = replica`);
    await admin.query(
      `DELETE FROM team_audit WHERE device_id = $1 AND seq = (SELECT max(seq) FROM team_audit WHERE device_id = $1)`,
      [victim],
    );
    await admin.query(`SET session_replication_role = origin`);
    const verdict = await a.call('team.verifyAudit', {});
    expect(verdict.ok).toBe(false);
    expect(verdict.chains.find((c) => c.device === 'laptop-b')?.ok).toBe(false);
  });
});
