import { createHash } from 'node:crypto';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import type { Procedure } from '../../../../shared/domain/procedure';
import { createCore, type Core } from '../../../../electron/core/createCore';
import { silentLogger } from '../../../../electron/core/ports/Logger';
import { shippedProceduresDir } from '../../../../electron/core/procedures/library/ProcedureLibrary';
import { RESOURCES_DIR } from '../../../support/appLayout';

const ESTOP_FILE = join(shippedProceduresDir(RESOURCES_DIR), 'emergency.estop.json');
const sha256 = async (path: string) =>
  createHash('sha256')
    .update(await readFile(path))
    .digest('hex');

type Reply<T> = { ok: true; value: T } | { ok: false; error: { code: string; message: string; details?: unknown } };

describe('editing a procedure', () => {
  let dir: string;
  let core: Core;
  const call = async <T>(name: string, input: unknown): Promise<Reply<T>> =>
    (await core.dispatch(name, input)) as Reply<T>;
  const value = async <T>(name: string, input: unknown): Promise<T> => {
    const reply = await call<T>(name, input);
    if (!reply.ok) {
      throw new Error(`${name}: ${reply.error.code} ${reply.error.message}`);
    }
    return reply.value;
  };

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'ohtw-procedure-edit-'));
    core = await createCore({ dataDir: dir, face: 'cli', logger: silentLogger, actor: 'tech-a' });
  });
  afterEach(async () => {
    await core.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('saves version + 1 in the data folder, leaves the shipped file byte-identical and keeps version 1 readable', async () => {
    const before = await sha256(ESTOP_FILE);
    const { procedure } = await value<{ procedure: Procedure }>('procedures.get', { id: 'emergency.estop' });
    const edited = {
      ...procedure,
      title: { en: 'E-Stop: safety response (site A)', vi: 'E-Stop: xử lý an toàn (khu A)' },
    };
    const saved = await value<{ id: string; version: number; file: string }>('procedures.save', {
      procedure: edited,
      note: 'site A wording',
    });
    expect(saved).toEqual({ id: 'emergency.estop', version: 2, file: 'emergency.estop.v2.json' });
    expect(await sha256(ESTOP_FILE)).toBe(before);
    expect(await readdir(join(dir, 'procedures'))).toEqual(['emergency.estop.v2.json']);

    const latest = await value<{ procedure: Procedure; source: string; versions: number[]; latest: number }>(
      'procedures.get',
      { id: 'emergency.estop' },
    );
    expect(latest).toMatchObject({ source: 'user', versions: [1, 2], latest: 2 });
    expect(latest.procedure).toMatchObject({
      version: 2,
      title: { en: 'E-Stop: safety response (site A)' },
      revision: { by: 'tech-a', note: 'site A wording' },
    });
    const first = await value<{ procedure: Procedure; source: string }>('procedures.get', {
      id: 'emergency.estop',
      version: 1,
    });
    expect(first).toMatchObject({ source: 'shipped', procedure: { version: 1, title: procedure.title } });

    const list = await value<{ id: string; version: number; source: string }[]>('procedures.list', {});
    expect(list.find((p) => p.id === 'emergency.estop')).toMatchObject({ version: 2, source: 'user' });

    const [audit] = core.history.listAudit({ limit: 1 });
    expect(audit).toMatchObject({
      actor: 'tech-a',
      action: 'procedures.save',
      outcome: 'ok',
      details: { id: 'emergency.estop', version: 2, from: 1, file: 'emergency.estop.v2.json' },
    });
    expect(core.history.verifyAudit().ok).toBe(true);
  });

  it('refuses an edit made from an older version instead of overwriting the newer one', async () => {
    const { procedure } = await value<{ procedure: Procedure }>('procedures.get', { id: 'routine.daily-health' });
    await value('procedures.save', { procedure });
    const stale = await call('procedures.save', { procedure });
    expect(stale).toMatchObject({ ok: false, error: { code: 'CONFLICT' } });
    expect(await readdir(join(dir, 'procedures'))).toEqual(['routine.daily-health.v2.json']);
    const again = await value<{ version: number }>('procedures.save', { procedure: { ...procedure, version: 2 } });
    expect(again.version).toBe(3);
  });

  it('refuses an invalid edit with the place and the reason, and saves nothing', async () => {
    const { procedure } = await value<{ procedure: Procedure }>('procedures.get', { id: 'emergency.estop' });
    const steps = procedure.steps.map((s) => (s.id === 'reset' ? { ...s, gates: [] } : s));
    const reply = await call('procedures.save', { procedure: { ...procedure, steps } });
    expect(reply).toMatchObject({ ok: false, error: { code: 'PROCEDURE_INVALID' } });
    if (!reply.ok) {
      expect(reply.error.message).toContain('$.steps[3].gates');
      expect(reply.error.details).toMatchObject({
        problems: expect.arrayContaining([
          { path: '$.steps[3].gates', message: 'estop.reset needs the gate "estop.released"' },
        ]),
      });
    }
    await expect(readdir(join(dir, 'procedures'))).rejects.toThrow();
  });

  it('a new procedure starts at version 1, and a file dropped by hand is read as it is', async () => {
    const { procedure } = await value<{ procedure: Procedure }>('procedures.get', {
      id: 'checklist.incident-response',
    });
    const mine = { ...procedure, id: 'checklist.site-a-handover', version: 7 };
    expect(await value('procedures.save', { procedure: mine })).toMatchObject({
      id: 'checklist.site-a-handover',
      version: 1,
    });
    await writeFile(
      join(dir, 'procedures', 'hand.json'),
      JSON.stringify({ ...procedure, id: 'checklist.by-hand', steps: [{ id: 'x', kind: 'wait' }] }),
    );
    const invalid = await value<{ file: string; source: string }[]>('procedures.invalid', {});
    expect(invalid).toEqual([
      {
        file: 'hand.json',
        source: 'user',
        problems: [
          {
            path: '$.steps[0].kind',
            message: 'unknown step kind "wait" (known: info, check, action, manual, decision, checklist, escalate)',
          },
        ],
      },
    ]);
    const list = await value<{ id: string }[]>('procedures.list', { query: 'checklist' });
    expect(list.map((p) => p.id)).toContain('checklist.site-a-handover');
  });

  it('lists by category and finds by words in either language', async () => {
    const security = await value<{ id: string }[]>('procedures.list', { category: 'security' });
    expect(security.map((p) => p.id)).toEqual(['security.data-breach', 'security.unauthorized-access']);
    const vi = await value<{ id: string }[]>('procedures.list', { query: 'khẩn cấp' });
    expect(vi.map((p) => p.id)).toContain('emergency.system-down');
    expect(await value('procedures.list', { query: 'no such words anywhere' })).toEqual([]);
    expect(await call('procedures.get', { id: 'emergency.nothing' })).toMatchObject({
      ok: false,
      error: { code: 'NOT_FOUND' },
    });
  });
});
