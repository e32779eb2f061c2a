import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { runCli } from '../../../electron/cli/main';
import { createCore } from '../../../electron/core/createCore';
import { captureIo } from '../../support/cli/captureIo';
import { pdfText } from '../../support/pdfText';
import { SEED_NOTE, SEED_PASSPHRASE, SEED_SIGNER, seedBackup, seedFleet } from '../../support/logbook/seedFleet';

/** `ohtw history` and `ohtw report` read the same logbook as the pages, over a history the product wrote. */
describe('ohtw history and ohtw report', () => {
  let dir: string;
  let backupId: string;
  const env = { OHTW_PASSPHRASE: SEED_PASSPHRASE };
  let io = captureIo(env);
  const run = async (...argv: string[]): Promise<number> => {
    io = captureIo(env, dir);
    return runCli([...argv, '--data-dir', join(dir, 'data')], io);
  };

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'ohtw-logbook-cli-'));
    backupId = await seedBackup(join(dir, 'data'), 'unit-01');
    const core = await createCore({ dataDir: join(dir, 'data'), face: 'cli', actor: 'an', env });
    await seedFleet(core, backupId);
    await core.close();
  });

  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it("prints a unit's entries in words with the changes under each sweep, and filters like the page", async () => {
    expect(await run('history', 'unit-02', '--limit', '12')).toBe(0);
    const lines = io.stdout().split('\n');
    expect(lines[0]).toMatch(/^WHEN\s+UNIT\s+KIND\s+RESULT\s+WHO\s+WHAT/);
    expect(
      lines.some((l) => /unit-02\s+diagnosis\s+ERROR .*Diagnosis ERROR: 3 finding\(s\); services\.firmware/.test(l)),
    ).toBe(true);
    expect(lines.some((l) => l.startsWith('    ↳ services.firmware OK → ERROR'))).toBe(true);

    expect(await run('history', '--all', '--kind', 'register-write', '--by', 'binh', '--json')).toBe(0);
    const writes = JSON.parse(io.stdout()) as { unit: string; words: string }[];
    expect(writes.map((w) => w.words)).toEqual([
      'Wrote resetErrors (0x0109) on the safety module 3: 25.2 V → 1',
      'Wrote chargerVoltageSet (0x0030) on the power module 2: 25.2 V → 24.5 V',
    ]);

    expect(await run('history', '--all', '--query', 'bracket', '--lang', 'vi')).toBe(0);
    expect(io.stdout()).toContain(`Ghi chú ở bước`);
    expect(io.stdout()).toContain(SEED_NOTE);

    expect(await run('history', 'unit-03', '--kind', 'finding', '--csv')).toBe(0);
    const csv = io.stdout().trimEnd().split('\r\n');
    expect(csv[0]).toBe('time,unit,kind,what,outcome,level,technician,reference,entry,laptop');
    expect(csv.slice(1).every((l) => l.includes('New finding safety.estop ERROR'))).toBe(true);

    const since = new Date(Date.now() - 2.5 * 86_400_000).toISOString().slice(0, 10);
    expect(await run('history', 'unit-01', '--kind', 'diagnosis', '--since', since, '--json')).toBe(0);
    expect((JSON.parse(io.stdout()) as unknown[]).length).toBeLessThanOrEqual(3);
  });

  it('refuses a history without units or --all, an unknown kind and a bad date, with the reason', async () => {
    expect(await run('history')).toBe(64);
    expect(io.stderr()).toContain('history needs unit NAMEs or --all');
    expect(await run('history', '--all', '--kind', 'weather')).toBe(64);
    expect(io.stderr()).toContain('"weather" is not a kind of logbook entry');
    expect(await run('history', '--all', '--since', 'March')).toBe(64);
    expect(io.stderr()).toContain('a date as 2025-03-01');
  });

  it("prints a unit's service record and the site report to PDF through headless Chromium, with charts", async () => {
    expect(await run('report', 'unit', 'unit-01', '--format', 'pdf', '--out', 'unit-01.pdf')).toBe(0);
    const unit = await pdfText(join(dir, 'unit-01.pdf'));
    expect(unit).toContain('Service record of unit-01');
    expect(unit).toContain('Last verified backup');
    expect(unit).toContain(backupId);
    expect(unit).toContain(SEED_SIGNER);
    expect(unit).toMatch(/Verified intact: \d+ rows/);

    const since = new Date(Date.now() - 12 * 86_400_000).toISOString().slice(0, 10);
    expect(await run('report', 'site', '--since', since, '--format', 'pdf', '--out', 'site.pdf', '--lang', 'vi')).toBe(
      0,
    );
    const site = await pdfText(join(dir, 'site.pdf'));
    expect(site).toContain('Báo cáo hiện trường');
    // The charts' own text, drawn by recharts: the legend of the incidents chart and the health axis.
    expect(site).toContain('Firmware bị sập');
    expect(site).toContain('100 %');
    expect(await run('report', 'site', '--since', since, '--format', 'json', '--out', 'site.json')).toBe(0);
    const json = JSON.parse(await readFile(join(dir, 'site.json'), 'utf8')) as { report: { units: string[] } };
    expect(json.report.units).toEqual(['unit-01', 'unit-02', 'unit-03']);
    expect(await run('report', 'site', '--format', 'pdf', '--out', 'x.pdf')).toBe(64);
    expect(io.stderr()).toContain('report site needs --since DATE');
  });
});
