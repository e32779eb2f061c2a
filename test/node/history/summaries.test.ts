import { describe, expect, it } from 'vitest';

import { actionSummary, diagnosisSummary } from '../../../electron/core/history/summaries';
import { check, sampleReport } from './fixtures';

const AT = '2026-11-28T09:00:00.000Z';

describe('history summaries', () => {
  it('names the worst top-level check and explains it by its worst child', () => {
    const report = sampleReport('OHT-07', AT, [
      check('connection', 'OK'),
      check('services', 'ERROR', [
        check('services.backend', 'WARN'),
        { ...check('services.firmware', 'ERROR'), message: 'oht50-firmware failed' },
      ]),
    ]);
    expect(diagnosisSummary(report)).toBe('services: ERROR — oht50-firmware failed');
  });

  it('counts the other checks at the same level', () => {
    const report = sampleReport('OHT-07', AT, [check('a', 'STALE'), check('b', 'STALE'), check('c', 'STALE')]);
    expect(diagnosisSummary(report)).toBe('a: STALE — a is STALE (+2 more)');
  });

  it('takes a parent’s level from its children when the parent understated it', () => {
    const report = sampleReport('OHT-07', AT, [check('services', 'OK', [check('services.firmware', 'WARN')])]);
    expect(diagnosisSummary(report)).toBe('services: WARN — services.firmware is WARN');
  });

  it('keeps to the first line and cuts long messages', () => {
    const long = { ...check('logs', 'WARN'), message: `${'x'.repeat(200)}\nsecond line` };
    const summary = diagnosisSummary(sampleReport('OHT-07', AT, [long]));
    expect(summary).toBe(`logs: WARN — ${'x'.repeat(119)}…`);
  });

  it('says how many checks passed when everything is OK, and copes with no checks', () => {
    expect(diagnosisSummary(sampleReport('OHT-07', AT, [check('a', 'OK', [check('a.b', 'OK')])]))).toBe(
      'OK: 2 checks passed',
    );
    expect(diagnosisSummary(sampleReport('OHT-07', AT, [check('a', 'OK')]))).toBe('OK: 1 check passed');
    expect(diagnosisSummary(sampleReport('OHT-07', AT, [], 'STALE'))).toBe('STALE: no checks');
  });

  it('writes an action as action and outcome', () => {
    expect(actionSummary('services.restart', 'failed')).toBe('services.restart: failed');
  });
});
