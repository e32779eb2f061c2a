import { describe, expect, it } from 'vitest';

import { actionSummary, diagnosisSummary } from '../../../electron/core/history/summaries';
import { said, sayIn } from '../../../shared/domain/words';
import { check, sampleReport } from './fixtures';

const AT = '2026-11-28T09:00:00.000Z';

const summaryOf = (report: Parameters<typeof diagnosisSummary>[0]): string => diagnosisSummary(report).summary;

describe('history summaries', () => {
  it('names the worst top-level check and explains it by its worst child', () => {
    const report = sampleReport('OHT-07', AT, [
      check('connection', 'OK'),
      check('services', 'ERROR', [
        check('services.backend', 'WARN'),
        { ...check('services.firmware', 'ERROR'), message: 'oht50-firmware failed' },
      ]),
    ]);
    expect(summaryOf(report)).toBe('services: ERROR — oht50-firmware failed');
  });

  it('counts the other checks at the same level', () => {
    const report = sampleReport('OHT-07', AT, [check('a', 'STALE'), check('b', 'STALE'), check('c', 'STALE')]);
    expect(summaryOf(report)).toBe('a: STALE — a is STALE (+2 more)');
  });

  it('takes a parent’s level from its children when the parent understated it', () => {
    const report = sampleReport('OHT-07', AT, [check('services', 'OK', [check('services.firmware', 'WARN')])]);
    expect(summaryOf(report)).toBe('services: WARN — services.firmware is WARN');
  });

  it('keeps to the first line and cuts long messages', () => {
    const long = { ...check('logs', 'WARN'), message: `${'x'.repeat(200)}\nsecond line` };
    const summary = summaryOf(sampleReport('OHT-07', AT, [long]));
    expect(summary).toBe(`logs: WARN — ${'x'.repeat(119)}…`);
  });

  it('says how many checks passed when everything is OK, and copes with no checks', () => {
    expect(summaryOf(sampleReport('OHT-07', AT, [check('a', 'OK', [check('a.b', 'OK')])]))).toBe('OK: 2 checks passed');
    expect(summaryOf(sampleReport('OHT-07', AT, [check('a', 'OK')]))).toBe('OK: 1 check passed');
    expect(summaryOf(sampleReport('OHT-07', AT, [], 'STALE'))).toBe('STALE: no checks');
  });

  it('keeps the same line as words a face says in Vietnamese, the worst check by its own words', () => {
    const firmware = {
      ...check('services.firmware', 'ERROR'),
      ...said('service.stopped', { service: 'oht50-firmware', since: '' }),
    };
    const report = sampleReport('OHT-07', AT, [check('services', 'ERROR', [firmware]), check('api', 'ERROR')]);
    const { summary, say } = diagnosisSummary(report);
    expect(sayIn(say, 'en')).toBe(summary);
    expect(sayIn(say, 'vi')).toBe('services: ERROR — oht50-firmware đã dừng (+1 mục khác)');
    expect(sayIn(diagnosisSummary(sampleReport('OHT-07', AT, [check('a', 'OK')])).say, 'vi')).toBe(
      'OK: 1 mục kiểm tra đều đạt',
    );
  });

  it('writes an action as action and outcome', () => {
    expect(actionSummary('services.restart', 'failed')).toBe('services.restart: failed');
  });
});
