import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import BetterSqlite3 from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import { runCli } from '../../../electron/cli/main';
import { HISTORY_FILE } from '../../../electron/core/createCore';
import { defaultKeyFile } from '../../../electron/core/history/auditKey';
import { captureIo } from '../../support/cli/captureIo';
import { rewriteAndRehash } from '../../support/history/auditTamper';

/**
 * `ohtw audit verify` on a history edited as an attacker would: rows changed and every hash after them recomputed
 * with the published formula (they lack the key), or rows cut off the end.
 */
describe('ohtw audit verify against an edited history', () => {
  let dataDir: string;

  const cli = async (env: Record<string, string>, ...argv: string[]) => {
    const io = captureIo(env);
    const code = await runCli([...argv, '--data-dir', dataDir], io);
    return { code, out: io.stdout(), err: io.stderr() };
  };
  const record = async (env: Record<string, string> = {}) => {
    for (const name of ['unit-1', 'unit-2', 'unit-3']) {
      const added = await cli(env, 'units', 'add', name, '--host', '10.0.0.1', '--user', 'oht', '--key', '/k');
      expect(added.code).toBe(0);
    }
    expect((await cli(env, 'units', 'remove', 'unit-2')).code).toBe(0);
  };
  const edit = (sql: (db: BetterSqlite3.Database) => void) => {
    const db = new BetterSqlite3(join(dataDir, HISTORY_FILE));
    db.exec('DROP TRIGGER IF EXISTS audit_log_no_update; DROP TRIGGER IF EXISTS audit_log_no_delete;');
    sql(db);
    db.close();
  };

  beforeEach(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'ohtw-audit-cli-'));
  });
  afterEach(async () => {
    await rm(dataDir, { recursive: true, force: true });
    await rm(defaultKeyFile(dataDir), { force: true });
  });

  it('says intact, with the key and the head it rests on, for a history nobody touched', async () => {
    await record();
    const result = await cli({}, 'audit', 'verify');
    expect(result.code).toBe(0);
    expect(result.out).toContain('audit log intact: 4 row(s) chained');
    expect(result.out).toContain(`keyed with key file ${defaultKeyFile(dataDir)} (HMAC-SHA-256)`);
    expect(result.out).toMatch(/head: row 4, [0-9a-f]{64}/);
    // The key is outside the data folder, never in it.
    expect((await readFile(defaultKeyFile(dataDir), 'utf8')).trim()).toMatch(/^[0-9a-f]{64}$/);
  });

  it('fails (exit 1) on a row edited and the whole chain re-hashed without the key', async () => {
    await record();
    rewriteAndRehash(join(dataDir, HISTORY_FILE), 1, { host: '10.9.9.9' });
    const result = await cli({}, 'audit', 'verify');
    expect(result.code).toBe(1);
    expect(result.err).toContain('audit log BROKEN at row 1: contents do not match the keyed hash');
  });

  it('fails (exit 1) on rows cut off the end', async () => {
    await record();
    edit((db) => db.exec('DELETE FROM audit_log WHERE seq > 2'));
    const result = await cli({}, 'audit', 'verify');
    expect(result.code).toBe(1);
    expect(result.err).toContain(
      'audit log BROKEN at row 3: rows cut off the end: the head file records 4 rows, the log has 2',
    );
    // Nothing more is recorded over the cut.
    const add = await cli({}, 'units', 'add', 'unit-9', '--host', '10.0.0.9', '--user', 'oht', '--key', '/k');
    expect(add.code).toBe(1);
    expect(add.err).toContain('rows cut off the end');
  });

  it('keys the chain with the store passphrase when one is set, and cannot verify without it', async () => {
    const env = { OHTW_PASSPHRASE: 'correct horse battery staple' };
    await record(env);
    expect((await cli(env, 'audit', 'verify')).out).toContain('keyed with the store passphrase (OHTW_PASSPHRASE)');
    const without = await cli({}, 'audit', 'verify');
    expect(without.code).toBe(1);
    expect(without.err).toMatch(
      /the audit chain is keyed with the store passphrase \(OHTW_PASSPHRASE\).*not available/,
    );
  });
});
