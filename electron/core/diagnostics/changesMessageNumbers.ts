import { formatNumber, isNews, metricKind } from './changesMetrics';

/**
 * For checks that report no metrics: the numbers with a unit in their message ("disk / at 88 % used"), compared
 * only when the two messages are the same sentence apart from those numbers. Anything else that differs (a
 * timestamp, a service name, another state) means the messages do not say the same thing, and nothing is read.
 */

const READING = /(-?\d+(?:\.\d+)?)\s?(%|ms|s|MiB|GiB|KiB|MB|GB|°C)(?![\p{L}\p{N}])/gu;

/** Metric-name suffix whose comparison rules fit each unit, so both paths judge "news" alike. */
const UNIT_AS_METRIC: Record<string, string> = {
  '%': 'xPercent',
  ms: 'xMs',
  s: 'xS',
  MiB: 'xMiB',
  '°C': 'xC',
};

type Reading = { value: number; unit: string };

function readings(message: string): { template: string; values: Reading[] } {
  const values: Reading[] = [];
  const template = message.replace(READING, (_whole, value: string, unit: string) => {
    values.push({ value: Number(value), unit });
    return `\u0000${unit}`;
  });
  return { template, values };
}

/** "71 % → 88 %" for each reading that moved enough, or [] when the messages cannot be compared. */
export function messageNumberChanges(before: string, after: string, levelChanged: boolean): string[] {
  const a = readings(before.split('\n', 1)[0] ?? '');
  const b = readings(after.split('\n', 1)[0] ?? '');
  if (a.template !== b.template || a.values.length === 0) {
    return [];
  }
  return b.values.flatMap((reading, i) => {
    const old = a.values[i];
    if (!old) {
      return [];
    }
    const kind = metricKind(UNIT_AS_METRIC[reading.unit] ?? 'x');
    if (!isNews(kind, old.value, reading.value, levelChanged)) {
      return [];
    }
    return [`${formatNumber(old.value)} ${old.unit} → ${formatNumber(reading.value)} ${reading.unit}`];
  });
}
