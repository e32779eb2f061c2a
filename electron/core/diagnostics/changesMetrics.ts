/**
 * How a check's readings are compared between two runs. A metric's kind comes from its name: a few are known by
 * name, the rest by the unit their name ends with (usePercent, responseMs, skewS, logsMiB, tempC), so that a new
 * check module gets sensible comparisons without touching this file.
 */

export type MetricKind =
  /** A reading that goes up and down (disk use, response time); shown when it moved enough to matter. */
  | { type: 'gauge'; unit: string; minDelta: number; minRatio: number }
  /** A number of things found in a window (log errors); every change is shown. */
  | { type: 'count' }
  /** Only ever grows until something resets it (systemd's NRestarts); shown as how much it grew. */
  | {
      type: 'counter';
      /** "restarted 3 times": the growth in words. */
      grew: (n: number) => string;
      /** What a counter that went down means. */
      reset: string;
      /** The words name the metric, so the sentence needs only the check's subject ("oht50-backend restarted …"). */
      wordsNameIt: boolean;
    }
  /** 0 or 1 (a service is up); the level change already says it, so it is never shown on its own. */
  | { type: 'flag' };

const KNOWN: Record<string, MetricKind> = {
  restarts: {
    type: 'counter',
    grew: (n) => `restarted ${times(n)}`,
    reset: 'was started again by hand, or the vehicle rebooted,',
    wordsNameIt: true,
  },
  active: { type: 'flag' },
  errors: { type: 'count' },
  // A processor is busy in bursts: only a large move says something between two sweeps.
  cpuPercent: { type: 'gauge', unit: ' %', minDelta: 20, minRatio: 0 },
  warnings: { type: 'count' },
};

/** Unit suffixes of metric names: what is printed after the number, and how far it must move to be news. */
const SUFFIXES: { pattern: RegExp; kind: MetricKind }[] = [
  { pattern: /Percent$/, kind: { type: 'gauge', unit: ' %', minDelta: 5, minRatio: 0 } },
  { pattern: /Ms$/, kind: { type: 'gauge', unit: ' ms', minDelta: 100, minRatio: 0.25 } },
  { pattern: /[a-z]S$/, kind: { type: 'gauge', unit: ' s', minDelta: 1, minRatio: 0 } },
  { pattern: /MiB$/, kind: { type: 'gauge', unit: ' MiB', minDelta: 1, minRatio: 0.1 } },
  { pattern: /[a-z]C$/, kind: { type: 'gauge', unit: ' °C', minDelta: 5, minRatio: 0 } },
  { pattern: /Total$/, kind: { type: 'counter', grew: (n) => `grew by ${n}`, reset: 'was reset', wordsNameIt: false } },
  { pattern: /(Count|Errors|Warnings)$/, kind: { type: 'count' } },
  { pattern: /^is[A-Z]/, kind: { type: 'flag' } },
];

/** Anything else: a plain number, news when it moved by a tenth or more. */
const PLAIN: MetricKind = { type: 'gauge', unit: '', minDelta: 0, minRatio: 0.1 };

export function metricKind(name: string): MetricKind {
  return KNOWN[name] ?? SUFFIXES.find((s) => s.pattern.test(name))?.kind ?? PLAIN;
}

/** Whether a gauge's move from a to b is worth a line; any move is, once the check's level changed with it. */
export function isNews(kind: MetricKind, a: number, b: number, levelChanged: boolean): boolean {
  if (a === b || kind.type === 'flag') {
    return false;
  }
  if (kind.type !== 'gauge' || levelChanged) {
    return true;
  }
  const delta = Math.abs(b - a);
  const base = Math.max(Math.abs(a), Math.abs(b));
  return delta >= kind.minDelta && (base === 0 || delta / base >= kind.minRatio);
}

/** The metric's name without its unit, in words: usePercent → "use", responseMs → "response", errors → "errors". */
export function metricWords(name: string): string {
  const bare = name.replace(/(Percent|Ms|MiB)$/, '').replace(/([a-z])[SC]$/, '$1');
  return bare.replace(/([a-z0-9])([A-Z])/g, '$1 $2').toLowerCase();
}

/**
 * What a reading is called in a sentence: the check's subject, plus the metric's words when they add something
 * ("disk" for resources.disk usePercent, "backend response" for api.backend responseMs, but "disk logs size" for
 * logsMiB, whose words the subject already has).
 */
export function metricLabel(subject: string, name: string): string {
  const words = metricWords(name);
  const said = ` ${subject.toLowerCase()} `;
  if (words === '' || words === 'use' || words === 'value' || said.includes(` ${words} `)) {
    return subject;
  }
  return `${subject} ${words}`;
}

/** A reading as people write it: whole numbers as they are, others to one decimal (none from 100 up). */
export function formatNumber(value: number): string {
  if (Number.isInteger(value)) {
    return String(value);
  }
  const rounded = Math.abs(value) >= 100 ? value.toFixed(0) : value.toFixed(1);
  return rounded.replace(/\.0$/, '');
}

export function formatReading(value: number, kind: MetricKind): string {
  return `${formatNumber(value)}${kind.type === 'gauge' ? kind.unit : ''}`;
}

/**
 * How much a counter grew from a to b. A counter that went down was reset (the service was started by hand, or the
 * vehicle rebooted): everything it counts now happened after the reset.
 */
export function counterGrowth(a: number, b: number): { growth: number; wasReset: boolean } {
  return b < a ? { growth: b, wasReset: true } : { growth: b - a, wasReset: false };
}

export function times(n: number): string {
  return `${n} time${n === 1 ? '' : 's'}`;
}

/** The gap between two sweeps, rounded as a technician would say it: "40 s", "12 min", "2 h", "3 days". */
export function formatGap(ms: number): string {
  const s = Math.max(0, Math.round(ms / 1000));
  if (s < 60) {
    return `${s} s`;
  }
  const min = Math.round(s / 60);
  if (min < 60) {
    return `${min} min`;
  }
  const h = Math.round(min / 60);
  if (h < 48) {
    return `${h} h`;
  }
  return `${Math.round(h / 24)} days`;
}

export type CounterKind = Extract<MetricKind, { type: 'counter' }>;
