import type BetterSqlite3 from 'better-sqlite3';

import type { ChainVerdict, TeamAuditVerification } from '../../../shared/domain/team';
import { GENESIS_HASH } from '../history/auditChain';
import type { HistoryRepository } from '../history/HistoryRepository';
import type { AuditRowDoc } from './syncDocs';
import type { TeamServer } from './server/TeamServer';

/*
 * `ohtw audit verify --team`: every device's audit chain as the team server holds it.
 *
 * What the server's copy can be checked against, without another device's key:
 * - linkage: rows 1..n with no gap, each row's prev_hash the hash of the row before it (the first: the genesis);
 * - the heads each device pushed: the chain still reaches every head it had when pushed (rows cut off the end, or a
 *   row re-hashed below a head, are found);
 * - this laptop's own chain: row for row against the history here, whose HMACs are verified with this laptop's key
 *   (so a changed row of its own is found whatever else was changed with it);
 * - a colleague's chain: row for row against the copy this laptop pulled earlier (a row changed or cut on the server
 *   after it was pulled here is found). A row changed on the server before any laptop pulled it, with its hash left
 *   as it was, keeps its linkage and is found only by its own device (the HMAC needs that device's key).
 */

const PAGE = 5000;

type Device = { device_id: string; label: string };

export async function verifyTeamAudit(
  server: TeamServer,
  db: BetterSqlite3.Database,
  history: HistoryRepository,
): Promise<TeamAuditVerification> {
  const me = history.deviceId();
  const devices = (await server.client.query<Device>('SELECT device_id, label FROM team_devices ORDER BY label')).rows;
  const chains: ChainVerdict[] = [];
  for (const device of devices) {
    chains.push(await verifyChain(server, db, history, device, device.device_id === me));
  }
  return { ok: chains.every((c) => c.ok), chains };
}

async function verifyChain(
  server: TeamServer,
  db: BetterSqlite3.Database,
  history: HistoryRepository,
  device: Device,
  mine: boolean,
): Promise<ChainVerdict> {
  const verdict = (rows: number, problem: ChainVerdict['problem']): ChainVerdict => ({
    deviceId: device.device_id,
    device: device.label,
    mine,
    rows,
    ok: problem === null,
    proof: mine ? 'keyed' : 'linkage',
    problem,
  });
  if (mine) {
    const local = history.verifyAudit();
    if (!local.ok) {
      return verdict(local.checked, {
        seq: local.firstBroken.seq,
        reason: `on this laptop: ${local.firstBroken.reason}`,
      });
    }
  }
  const copy = mine
    ? db.prepare<[number], AuditRowDoc>(
        `SELECT seq, id, at, actor, unit, action, outcome, details_json, prev_hash, hash FROM audit_log WHERE seq = ?`,
      )
    : db.prepare<[string, number], AuditRowDoc>(
        `SELECT seq, id, at, actor, unit, action, outcome, details_json, prev_hash, hash
         FROM team_audit WHERE device_id = ? AND seq = ?`,
      );
  const copyOf = (seq: number): AuditRowDoc | undefined =>
    mine
      ? (copy as BetterSqlite3.Statement<[number], AuditRowDoc>).get(seq)
      : (copy as BetterSqlite3.Statement<[string, number], AuditRowDoc>).get(device.device_id, seq);
  const hashes = new Map<number, string>();
  let expected = 1;
  let prevHash = GENESIS_HASH;
  for (;;) {
    const page = await serverRows(server, device.device_id, expected - 1, PAGE);
    for (const row of page) {
      const problem = linkProblem(row, expected, prevHash) ?? copyProblem(row, copyOf(row.seq), mine);
      if (problem !== null) {
        return verdict(expected - 1, problem);
      }
      hashes.set(row.seq, row.hash);
      prevHash = row.hash;
      expected += 1;
    }
    if (page.length < PAGE) {
      break;
    }
  }
  const rows = expected - 1;
  const cut = await headProblem(server, device.device_id, rows, hashes);
  if (cut !== null) {
    return verdict(rows, cut);
  }
  const held = Number(
    mine
      ? db.prepare('SELECT count(*) FROM audit_log').pluck().get()
      : db.prepare('SELECT count(*) FROM team_audit WHERE device_id = ?').pluck().get(device.device_id),
  );
  if (!mine && held > rows) {
    return verdict(rows, {
      seq: rows + 1,
      reason: `rows cut: this laptop pulled ${held} rows of this chain, the server has ${rows}`,
    });
  }
  return verdict(rows, null);
}

async function serverRows(server: TeamServer, deviceId: string, after: number, limit: number): Promise<AuditRowDoc[]> {
  const result = await server.client.query<AuditRowDoc & { seq_text: string }>(
    `SELECT seq::text AS seq_text, id, at, actor, unit, action, outcome, details_json, prev_hash, hash
     FROM team_audit WHERE device_id = $1 AND seq > $2 ORDER BY seq LIMIT $3`,
    [deviceId, after, limit],
  );
  return result.rows.map(({ seq_text: seq, ...row }) => ({ ...row, seq: Number(seq) }));
}

function linkProblem(row: AuditRowDoc, expected: number, prevHash: string): ChainVerdict['problem'] {
  if (row.seq !== expected) {
    return { seq: expected, reason: `row ${expected} is missing on the server (the next row is ${row.seq})` };
  }
  if (row.prev_hash !== prevHash) {
    return { seq: row.seq, reason: `prev_hash does not match the hash of row ${row.seq - 1} on the server` };
  }
  return null;
}

const FIELDS = ['id', 'at', 'actor', 'unit', 'action', 'outcome', 'details_json', 'prev_hash', 'hash'] as const;

function copyProblem(row: AuditRowDoc, copy: AuditRowDoc | undefined, mine: boolean): ChainVerdict['problem'] {
  if (copy === undefined) {
    return mine
      ? { seq: row.seq, reason: `row ${row.seq} is on the server but was never written on this laptop` }
      : null;
  }
  const changed = FIELDS.filter((field) => row[field] !== copy[field]);
  if (changed.length === 0) {
    return null;
  }
  return {
    seq: row.seq,
    reason: mine
      ? `row ${row.seq} on the server differs from this laptop's (${changed.join(', ')}): it was changed on the server`
      : `row ${row.seq} on the server differs from the copy pulled on this laptop (${changed.join(', ')}): it was changed on the server`,
  };
}

async function headProblem(
  server: TeamServer,
  deviceId: string,
  rows: number,
  hashes: Map<number, string>,
): Promise<ChainVerdict['problem']> {
  const heads = (
    await server.client.query<{ rows: string; head: string }>(
      'SELECT rows, head FROM team_audit_heads WHERE device_id = $1 ORDER BY rows',
      [deviceId],
    )
  ).rows;
  for (const head of heads) {
    const at = Number(head.rows);
    if (at > rows) {
      return {
        seq: rows + 1,
        reason: `rows cut off the end: the device pushed a head at row ${at}, the server has ${rows}`,
      };
    }
    if (hashes.get(at) !== head.head) {
      return { seq: at, reason: `row ${at} is not the head the device pushed there: re-hashed on the server` };
    }
  }
  return null;
}
