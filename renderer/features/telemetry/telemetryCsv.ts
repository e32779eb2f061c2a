import type { TelemetrySample } from '../../../shared/domain/telemetry';
import type { TimeSpan } from './viewport';

/**
 * The samples the charts show, as CSV: one row per sample inside the span, its time in ISO 8601 (UTC), then one
 * column per series shown, named by its metric id; a reading the sample lacks is an empty field. Metric ids
 * and numbers never hold a comma or a quote, so no field needs quoting.
 */
export function telemetryCsv(
  samples: readonly TelemetrySample[],
  metrics: readonly string[],
  span: TimeSpan,
): { content: string; rows: number } {
  const lines = [['time', ...metrics].join(',')];
  for (const sample of samples) {
    if (sample.at < span.fromMs || sample.at > span.toMs) {
      continue;
    }
    const values = metrics.map((metric) => {
      const value = sample.metrics[metric];
      return value === undefined || !Number.isFinite(value) ? '' : String(value);
    });
    lines.push([new Date(sample.at).toISOString(), ...values].join(','));
  }
  return { content: `${lines.join('\r\n')}\r\n`, rows: lines.length - 1 };
}

/** `ohtw-telemetry-<unit>-<from>_<to>.csv`, the times in UTC to the second: the file says what it holds. */
export function telemetryCsvFileName(unit: string, span: TimeSpan): string {
  const stamp = (ms: number): string =>
    new Date(ms)
      .toISOString()
      .replace(/\.\d+Z$/, 'Z')
      .replace(/[-:]/g, '');
  return `ohtw-telemetry-${unit}-${stamp(span.fromMs)}_${stamp(span.toMs)}.csv`;
}
