import { RESOURCES_DIR } from '../../support/appLayout';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import { runCli } from '../../../electron/cli/main';
import { createCore, type Core } from '../../../electron/core/createCore';
import { defaultKeyFile } from '../../../electron/core/history/auditKey';
import { silentLogger } from '../../../electron/core/ports/Logger';
import { shippedProceduresDir } from '../../../electron/core/procedures/library/ProcedureLibrary';
import { captureIo } from '../../support/cli/captureIo';

type Reply<T> = { ok: true; value: T } | { ok: false; error: { code: string; message: string } };

/** A technician's own version of a shipped procedure is said to be one everywhere, with what it changes. */
describe("a technician's file in place of a shipped procedure", () => {
  let dir: string;
  let core: Core;
  const value = async <T>(name: string, input: unknown): Promise<T> => {
    const reply = (await core.dispatch(name, input)) as Reply<T>;
    if (!reply.ok) {
      throw new Error(`${name}: ${reply.error.message}`);
    }
    return reply.value;
  };
  const cli = async (...argv: string[]) => {
    const io = captureIo({});
    const code = await runCli([...argv, '--data-dir', dir], io);
    return { code, out: io.stdout() };
  };

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'ohtw-supersedes-'));
    const shipped = JSON.parse(
      await readFile(join(shippedProceduresDir(RESOURCES_DIR), 'emergency.estop.json'), 'utf8'),
    ) as {
      title: { en: string; vi: string };
    } & Record<string, unknown>;
    await mkdir(join(dir, 'procedures'));
    await writeFile(
      join(dir, 'procedures', 'emergency.estop.v2.json'),
      JSON.stringify({ ...shipped, version: 2, title: { ...shipped.title, en: 'E-Stop (site A)' } }),
    );
    core = await createCore({ dataDir: dir, face: 'cli', logger: silentLogger, actor: 'tech-a' });
  });
  afterEach(async () => {
    await core.close();
    await rm(dir, { recursive: true, force: true });
    await rm(defaultKeyFile(dir), { force: true });
  });

  it('is marked in the library and by procedures.get, with the diff to the shipped version', async () => {
    const list = await value<{ id: string; source: string; supersedesShipped: number | null }[]>('procedures.list', {});
    expect(list.find((p) => p.id === 'emergency.estop')).toMatchObject({ source: 'user', supersedesShipped: 1 });
    expect(list.find((p) => p.id === 'emergency.system-down')).toMatchObject({
      source: 'shipped',
      supersedesShipped: null,
    });
    const got = await value<{ supersedes: unknown; changes: unknown[] }>('procedures.get', { id: 'emergency.estop' });
    expect(got.supersedes).toEqual({ version: 1, file: 'emergency.estop.json' });
    expect(got.changes).toEqual([{ path: '$.title.en', shipped: expect.any(String), edited: '"E-Stop (site A)"' }]);
  });

  it('is marked by procedures list and show on the command line', async () => {
    const list = await cli('procedures', 'list', '--category', 'emergency');
    expect(list.out).toMatch(/emergency\.estop\s+v2 \(your file, in place of shipped v1\)/);
    const show = await cli('procedures', 'show', 'emergency.estop');
    expect(show.out).toContain(
      'This is your file emergency.estop.v2.json, in place of the shipped v1 (emergency.estop.json).',
    );
    expect(show.out).toMatch(
      /What it changes from the shipped version \(1\):\n {2}\$\.title\.en: ".*" → "E-Stop \(site A\)"/,
    );
  });

  it('is recorded by a run that follows it, in the run and in the audit log', async () => {
    await value('units.add', { name: 'u1', host: '10.0.0.1', user: 'oht', auth: { kind: 'key', keyPath: '/k' } });
    const run = await value<{ runId: string; procedure: { version: number; origin: unknown } }>('procedures.start', {
      procedureId: 'emergency.estop',
      units: ['u1'],
      params: {},
    });
    expect(run.procedure).toMatchObject({
      version: 2,
      origin: { source: 'user', file: 'emergency.estop.v2.json', supersedesShipped: 1 },
    });
    const [started] = core.history.listAudit({ limit: 1 });
    expect(started).toMatchObject({
      action: 'procedure.run.start',
      details: { procedureSource: 'user', procedureFile: 'emergency.estop.v2.json', supersedesShipped: 1 },
    });
  });
});
