import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import type { LogbookEntry, LogbookFilter, LogbookPage } from '../../../shared/domain/logbook';
import { describeEntry } from '../../../shared/domain/logbookKinds';
import type { SiteReport, UnitRecord } from '../../../shared/domain/fleetReports';
import { createCore, type Core } from '../../../electron/core/createCore';
import {
  SEED_NOTE,
  SEED_PASSPHRASE,
  SEED_SIGNER,
  seedBackup,
  seedFleet,
  type SeededFleet,
} from '../../support/logbook/seedFleet';

/** The logbook over a history written by the product's own writers, through the core's contract. */
describe('the fleet logbook', () => {
  let dir: string;
  let core: Core;
  let seeded: SeededFleet;

  const call = async <T>(name: string, input: unknown): Promise<T> => {
    const result = await core.dispatch(name, input);
    if (!result.ok) {
      throw new Error(`${name}: ${JSON.stringify(result.error)}`);
    }
    return result.value as T;
  };
  const list = (filter: LogbookFilter, limit = 50, cursor?: string) =>
    call<LogbookPage>('logbook.list', { filter, limit, ...(cursor ? { cursor } : {}) });

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'ohtw-logbook-'));
    const backupId = await seedBackup(join(dir, 'data'), 'unit-01');
    core = await createCore({
      dataDir: join(dir, 'data'),
      face: 'cli',
      actor: 'an',
      env: { OHTW_PASSPHRASE: SEED_PASSPHRASE },
    });
    seeded = await seedFleet(core, backupId);
  });

  afterAll(async () => {
    await core.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('holds every sweep, new finding, action, step and note, newest first, each in words', async () => {
    const { entries } = await list({}, 500);
    const codes = new Set(entries.map((e) => e.code));
    for (const code of [
      'diagnosis',
      'finding',
      'unit.add',
      'rs485.write',
      'backup.verify',
      'procedure.run.start',
      'procedure.step',
      'procedure.note',
      'procedure.run.escalate',
      'procedure.run.signed',
    ]) {
      expect(codes, code).toContain(code);
    }
    expect(entries.filter((e) => e.code === 'diagnosis')).toHaveLength(30);
    const times = entries.map((e) => e.at);
    expect([...times].sort().reverse()).toEqual(times);
    for (const entry of entries) {
      for (const language of ['en', 'vi'] as const) {
        const words = describeEntry(entry, language);
        expect(words, `${entry.code} in ${language}`).not.toMatch(/: (ok|failed|refused)$|undefined|\[object|NaN/);
        if (entry.code.includes('.')) {
          expect(words, `${entry.code} in ${language}`).not.toContain(entry.code);
        }
        expect(words.length).toBeGreaterThan(10);
      }
    }
    // A sweep, then what it found.
    const sweep = entries.findIndex((e) => e.code === 'diagnosis' && e.unit === 'unit-02' && e.level === 'ERROR');
    expect(entries.slice(sweep + 1, sweep + 4).map((e) => [e.code, e.ref])).toEqual(
      Array(3).fill(['finding', entries[sweep]?.ref]),
    );
    const crash = entries.find((e) => e.code === 'finding' && e.facts.checkId === 'services.firmware');
    expect(crash && describeEntry(crash, 'en')).toMatch(
      /^New finding services\.firmware ERROR: oht50-firmware has failed/,
    );
    expect(crash && describeEntry(crash, 'vi')).toMatch(/^Phát hiện mới services\.firmware ERROR/);
    const note = entries.find((e) => e.code === 'procedure.note' && e.facts.text === SEED_NOTE);
    expect(note && describeEntry(note, 'en')).toContain(`“${SEED_NOTE}”`);
    expect(note?.ref).toBe(seeded.procedureRunId);
  });

  it('filters by unit, kind, technician, level, outcome and time, and finds a note by a word in it', async () => {
    const unit02 = await list({ units: ['unit-02'] }, 200);
    expect(unit02.entries.every((e) => e.unit === 'unit-02')).toBe(true);
    const crashes = await list({ units: ['unit-02'], kinds: ['finding'] });
    // Two crashes, each found by the service, its log and its API (a new finding per leaf check).
    expect(crashes.entries.map((e) => e.facts.checkId).sort()).toEqual([
      'api.firmware',
      'api.firmware',
      'logs.firmware',
      'logs.firmware',
      'services.firmware',
      'services.firmware',
    ]);
    const writes = await list({ kinds: ['register-write'] });
    expect(writes.entries.map((e) => describeEntry(e, 'en'))).toEqual([
      'Wrote resetErrors (0x0109) on the safety module 3: 25.2 V → 1',
      'Wrote chargerVoltageSet (0x0030) on the power module 2: 25.2 V → 24.5 V',
    ]);
    expect((await list({ actors: ['binh'] })).entries).toHaveLength(2);
    expect((await list({ levels: ['ERROR'], kinds: ['diagnosis'] })).entries.map((e) => e.unit).sort()).toEqual([
      'unit-02',
      'unit-02',
      'unit-03',
    ]);
    const since = new Date(Date.now() - 4.5 * 86_400_000).toISOString();
    const recent = await list({ kinds: ['diagnosis'], since }, 100);
    expect(recent.entries).toHaveLength(12);
    const found = await list({ query: 'bracket' });
    expect(found.entries.map((e) => e.code)).toContain('procedure.note');
    expect((await list({ query: 'BRACK*' })).entries.length).toBe(found.entries.length);
    expect((await list({ query: 'segmentation' })).entries.every((e) => e.unit === 'unit-02')).toBe(true);
    expect((await list({ query: 'nothing-like-this' })).entries).toEqual([]);
    // Operators and quotes in the words are words, not FTS syntax.
    expect((await list({ query: 'bracket" OR "x' })).entries).toEqual([]);
    const bad = await core.dispatch('logbook.list', { filter: { kinds: ['no-such-kind'] } });
    expect(bad.ok).toBe(false);
  });

  it('pages by cursor with no repeats and no gaps, even while new entries arrive', async () => {
    const whole = (await list({}, 500)).entries.map((e) => e.id);
    const seen: string[] = [];
    let cursor: string | undefined;
    let pages = 0;
    for (;;) {
      const page = await list({}, 7, cursor);
      seen.push(...page.entries.map((e) => e.id));
      pages += 1;
      if (pages === 2) {
        core.history.appendAudit({ actor: 'an', unit: 'unit-01', action: 'unit.remove', outcome: 'ok', details: {} });
      }
      if (!page.next) {
        break;
      }
      cursor = page.next;
    }
    expect(new Set(seen).size).toBe(seen.length);
    expect(seen).toEqual(whole);
    expect(pages).toBe(Math.ceil(whole.length / 7));
  });

  it('opens an entry: a diagnosis with its findings and evidence, a note with its text', async () => {
    const [diagnosis] = (await list({ units: ['unit-02'], kinds: ['diagnosis'], levels: ['ERROR'] })).entries;
    const detail = await call<{ entry: LogbookEntry; lines: { label: string; text: string }[] }>('logbook.get', {
      id: diagnosis?.id,
    });
    expect(detail.lines.map((l) => l.label)).toContain('services.firmware · ERROR');
    expect(detail.lines.find((l) => l.label.startsWith('services.firmware'))?.text).toContain('NRestarts=');
    // The step's own entry ("confirmed: …") matches too; which of the two comes first depends on the millisecond
    // each was written in, so the note is picked by its code.
    const note = (await list({ query: 'bracket', kinds: ['procedure-step'] })).entries.find(
      (e) => e.code === 'procedure.note',
    );
    const noteDetail = await call<{ lines: { label: string; text: string }[] }>('logbook.get', { id: note?.id });
    expect(noteDetail.lines[0]?.text).toBe(SEED_NOTE);
    expect((await core.dispatch('logbook.get', { id: '99999999' })).ok).toBe(false);
  });

  it('exports what the filter selects as CSV in words and as JSON with both languages', async () => {
    const csv = await call<{ content: string; count: number }>('logbook.export', {
      filter: { units: ['unit-02'], kinds: ['register-write'] },
      format: 'csv',
      language: 'vi',
    });
    const lines = csv.content
      .replace(/^\uFEFF/, '')
      .trimEnd()
      .split('\r\n');
    expect(lines[0]).toBe('time,unit,kind,what,outcome,level,technician,reference,entry,laptop');
    expect(lines).toHaveLength(3);
    expect(lines[1]).toContain('Ghi thanh ghi');
    expect(lines[1]).toContain('Ghi resetErrors (0x0109) trên mô-đun an toàn 3');
    const json = JSON.parse(
      (await call<{ content: string }>('logbook.export', { filter: { query: 'bracket' }, format: 'json' })).content,
    ) as { entries: { words: { en: string; vi: string } }[] };
    expect(json.entries[0]?.words.vi).toContain(SEED_NOTE);
  });

  it("builds a unit's service record: identity, health, last verified backup, signed runs, incidents and the chain head", async () => {
    const record = await call<UnitRecord>('reports.unit', { name: 'unit-01' });
    expect(record.identity?.host).toBe('unit-01.fleet.local');
    expect(record.firmwareVersion?.version).toBe('2.4.1');
    expect(record.health?.level).toBe('OK');
    expect(record.lastVerifiedBackup?.backupId).toBe(seeded.backupId);
    expect(record.lastVerifiedBackup?.verifiedBy).toBe('an');
    const run = record.procedures.find((p) => p.runId === seeded.procedureRunId);
    expect(run).toMatchObject({ state: 'escalated', escalationLevel: 2, signedBy: SEED_SIGNER });
    expect(run?.recordHash).toMatch(/^[0-9a-f]{64}$/);
    expect(record.chain.intact).toBe(true);
    expect(record.chain.seq).toBeGreaterThan(10);
    expect(record.chain.unitSeq).not.toBeNull();

    const unit02 = await call<UnitRecord>('reports.unit', { name: 'unit-02' });
    expect(unit02.incidents.crashes).toBe(2);
    expect(unit02.registerWrites).toHaveLength(2);
    expect(unit02.lastVerifiedBackup).toBeNull();
    const unit03 = await call<UnitRecord>('reports.unit', { name: 'unit-03' });
    expect(unit03.incidents.estop).toBe(1);
    expect((await core.dispatch('reports.unit', { name: 'unit-99' })).ok).toBe(false);

    const html = await call<{ content: string }>('reports.render', {
      request: { report: 'unit', name: 'unit-02' },
      format: 'html',
      language: 'en',
    });
    expect(html.content).toContain('Service record of unit-02');
    expect(html.content).toMatch(/<svg[^>]*class="recharts-surface"/);
    expect(html.content).not.toContain('<script');
    const vi = await call<{ content: string }>('reports.render', {
      request: { report: 'unit', name: 'unit-01' },
      format: 'html',
      language: 'vi',
    });
    expect(vi.content).toContain('Hồ sơ bảo trì của unit-01');
    expect(vi.content).toContain(SEED_SIGNER);
    const csv = await call<{ content: string }>('reports.render', {
      request: { report: 'unit', name: 'unit-01' },
      format: 'csv',
      language: 'en',
    });
    expect(csv.content).toContain(`backup,last_verified,${seeded.backupId}`);
  });

  it('builds the site report: health per day, incidents, crash intervals, backup coverage and escalations', async () => {
    const since = new Date(Date.now() - 12 * 86_400_000).toISOString().slice(0, 10);
    const report = await call<SiteReport>('reports.site', { since, backupMaxAgeDays: 7 });
    expect(report.units).toEqual(['unit-01', 'unit-02', 'unit-03']);
    const last = report.health[report.health.length - 1];
    expect(last && last.OK + last.WARN + last.ERROR + last.STALE).toBeCloseTo(1);
    const crashDay = report.health.find((d) => d.ERROR > 0);
    expect(crashDay?.ERROR).toBeCloseTo(1 / 3);
    const unit02 = report.incidents.find((i) => i.unit === 'unit-02');
    expect(unit02).toMatchObject({ crashes: 2, estop: 0 });
    expect(unit02?.mtbfHours).toBeCloseTo(120, 0);
    expect(report.incidents.find((i) => i.unit === 'unit-03')?.estop).toBe(1);
    // The units without a verified backup younger than a week come first.
    expect(report.backups.units.map((u) => [u.unit, u.covered])).toEqual([
      ['unit-02', false],
      ['unit-03', false],
      ['unit-01', true],
    ]);
    expect(report.procedures).toMatchObject({ runs: 1, escalated: 1, signed: 1 });
    expect(report.procedures.escalations[0]?.units).toEqual(['unit-01']);
    const html = await call<{ content: string }>('reports.render', {
      request: { report: 'site', since, backupMaxAgeDays: 7 },
      format: 'html',
      language: 'en',
    });
    expect(html.content.match(/class="recharts-wrapper"/g)).toHaveLength(2);
    expect(html.content).toMatch(/<path[^>]*class="recharts-rectangle/);
    expect(html.content).toContain('Firmware crashes');
    expect((await core.dispatch('reports.site', { since: '2026-13-01' })).ok).toBe(false);
  });
});
