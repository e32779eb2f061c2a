import type { Thresholds } from '../../../shared/domain/thresholds';
import type { MessageKey } from '../../i18n/en';

export type LimitKey = Exclude<keyof Thresholds, 'logWindowMin'>;

/** Each threshold as the form shows it: what it measures and in what unit (a symbol, or a word to translate). */
export type ThresholdField = {
  key: keyof Thresholds;
  label: MessageKey;
  hint: MessageKey;
  unit: { symbol: string } | { word: MessageKey };
};

/** The limits with a warning and a critical value, in the order of the runbook's table. */
export const LIMIT_FIELDS: readonly (ThresholdField & { key: LimitKey })[] = [
  { key: 'cpuPercent', label: 'threshold.cpuPercent', hint: 'threshold.cpuPercent.hint', unit: { symbol: '%' } },
  {
    key: 'memoryPercent',
    label: 'threshold.memoryPercent',
    hint: 'threshold.memoryPercent.hint',
    unit: { symbol: '%' },
  },
  { key: 'diskPercent', label: 'threshold.diskPercent', hint: 'threshold.diskPercent.hint', unit: { symbol: '%' } },
  {
    key: 'responseTimeMs',
    label: 'threshold.responseTimeMs',
    hint: 'threshold.responseTimeMs.hint',
    unit: { symbol: 'ms' },
  },
  {
    key: 'errorRatePercent',
    label: 'threshold.errorRatePercent',
    hint: 'threshold.errorRatePercent.hint',
    unit: { symbol: '%' },
  },
  { key: 'clockSkewS', label: 'threshold.clockSkewS', hint: 'threshold.clockSkewS.hint', unit: { symbol: 's' } },
  {
    key: 'logErrors',
    label: 'threshold.logErrors',
    hint: 'threshold.logErrors.hint',
    unit: { word: 'settings.unit.errors' },
  },
  { key: 'logsDirMiB', label: 'threshold.logsDirMiB', hint: 'threshold.logsDirMiB.hint', unit: { symbol: 'MiB' } },
];

/** The one setting with a single value. */
export const LOG_WINDOW_FIELD: ThresholdField = {
  key: 'logWindowMin',
  label: 'threshold.logWindowMin',
  hint: 'threshold.logWindowMin.hint',
  unit: { word: 'settings.unit.min' },
};

/** The form's values as typed: text, so that a half-typed or empty field is kept as it is until saved. */
export type ThresholdsDraft = Record<LimitKey, { warning: string; critical: string }> & { logWindowMin: string };

export function draftOf(thresholds: Thresholds): ThresholdsDraft {
  const limits = Object.fromEntries(
    LIMIT_FIELDS.map(({ key }) => [
      key,
      { warning: String(thresholds[key].warning), critical: String(thresholds[key].critical) },
    ]),
  ) as Record<LimitKey, { warning: string; critical: string }>;
  return { ...limits, logWindowMin: String(thresholds.logWindowMin) };
}

/**
 * The draft as the core's input. Numbers go as numbers; anything else goes as typed, so that the core's own
 * validation names the field and says what is wrong with it: there is one set of rules, and it lives there.
 */
export function thresholdsFrom(draft: ThresholdsDraft): Record<string, unknown> {
  const limits = Object.fromEntries(
    LIMIT_FIELDS.map(({ key }) => [
      key,
      { warning: asNumber(draft[key].warning), critical: asNumber(draft[key].critical) },
    ]),
  );
  return { ...limits, logWindowMin: asNumber(draft.logWindowMin) };
}

function asNumber(text: string): number | string {
  const trimmed = text.trim();
  const value = Number(trimmed);
  return trimmed !== '' && Number.isFinite(value) ? value : text;
}

export function sameDraft(a: ThresholdsDraft, b: ThresholdsDraft): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

/** Problems by field, from the core's VALIDATION issues ("thresholds.cpuPercent.warning: …" → "cpuPercent.warning"). */
export function problemsByField(issues: readonly string[]): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const issue of issues) {
    const colon = issue.indexOf(': ');
    const path = (colon < 0 ? '' : issue.slice(0, colon)).split('.');
    const message = colon < 0 ? issue : issue.slice(colon + 2);
    const field = path[0] === 'thresholds' ? path.slice(1).join('.') : '';
    out.set(field, [...(out.get(field) ?? []), message]);
  }
  return out;
}
