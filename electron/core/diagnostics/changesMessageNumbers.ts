import { formatNumber, isNews, metricKind } from './changesMetrics';

/**
 * For checks that report no metrics: the readings with a unit in their message ("disk 71 % on /"), compared only
 * when the two messages are the same sentence apart from their numbers. Numbers without a unit (a load average, a
 * count, a time of day) may differ but are not read; any other difference in the words means the messages do not
 * say the same thing, and nothing is read at all.
 */

/** A number, with the word before it (what it is: "disk 71 %") and its unit when it has them. */
const READING =
  /(?:(\p{L}[\p{L}\p{N}_-]*)(\s+))?(?<![\p{L}\p{N}.])(-?\d+(?:\.\d+)?)(?:\s?(%|ms|s|MiB|GiB|KiB|MB|GB|°C)(?![\p{L}\p{N}]))?/gu;

/** The metric-name suffix for each unit, so that both paths judge what is news by the same rules. */
const SUFFIX: Record<string, string> = { '%': 'Percent', ms: 'Ms', s: 'S', MiB: 'MiB', '°C': 'C' };

type Reading = { value: number; unit: string; word: string };

function readings(message: string): { template: string; values: Reading[] } {
  const values: Reading[] = [];
  const template = message.replace(
    READING,
    (_whole, word: string | undefined, space: string | undefined, value: string, unit: string | undefined) => {
      const before = `${word ?? ''}${space ?? ''}`;
      if (unit === undefined) {
        return `${before}\u0001`;
      }
      values.push({ value: Number(value), unit, word: word ?? '' });
      return `${before}\u0000${unit}`;
    },
  );
  return { template, values };
}

/**
 * "71 % → 88 %" for each reading that moved enough, or [] when the messages cannot be compared. The subject names
 * the metric where that matters ("cpu" makes a percentage a cpuPercent, which is allowed to jump further). When a
 * message holds several readings, each is named by the word before it ("cpu 23 % → 41 %, memory 41 % → 60 %"),
 * unless that word is the subject itself.
 */
export function messageNumberChanges(before: string, after: string, levelChanged: boolean, subject = ''): string[] {
  const a = readings(before.split('\n', 1)[0] ?? '');
  const b = readings(after.split('\n', 1)[0] ?? '');
  if (a.template !== b.template || b.values.length === 0) {
    return [];
  }
  const stem = subject.replace(/[^A-Za-z0-9]/g, '').toLowerCase() || 'x';
  return b.values.flatMap((reading, i) => {
    const old = a.values[i];
    if (!old) {
      return [];
    }
    const kind = metricKind(`${stem}${SUFFIX[reading.unit] ?? 'Value'}`);
    if (!isNews(kind, old.value, reading.value, levelChanged)) {
      return [];
    }
    const named =
      b.values.length > 1 && reading.word !== '' && !subject.toLowerCase().endsWith(reading.word.toLowerCase());
    const moved = `${formatNumber(old.value)} ${old.unit} → ${formatNumber(reading.value)} ${reading.unit}`;
    return [named ? `${reading.word} ${moved}` : moved];
  });
}
