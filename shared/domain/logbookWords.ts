import type { LogbookEntry, LogbookFacts, LogbookLanguage } from './logbook';
import { SaidSchema } from './said';
import { sayIn } from './words';

/*
 * Helpers the kinds' words are written with: a fact as text, sizes, an outcome's tail, the procedure's title in the
 * reader's language. Pure, so the renderer, the CLI and the reports say an entry the same way.
 */

export type Say = (facts: LogbookFacts, entry: LogbookEntry) => string;
export type Words = Record<LogbookLanguage, Say>;

/** A fact as text; absent, null or empty facts give the fallback. */
export function fact(facts: LogbookFacts, key: string, fallback = ''): string {
  const value = facts[key];
  if (value === undefined || value === null || value === '') {
    return fallback;
  }
  return String(value);
}

export function num(facts: LogbookFacts, key: string): number {
  const value = facts[key];
  return typeof value === 'number' ? value : Number(value ?? 0) || 0;
}

export function bytes(value: number): string {
  if (value < 1024) {
    return `${value} B`;
  }
  const units = ['KiB', 'MiB', 'GiB', 'TiB'];
  let size = value / 1024;
  let unit = 0;
  while (size >= 1024 && unit < units.length - 1) {
    size /= 1024;
    unit += 1;
  }
  return `${size.toFixed(size < 10 ? 1 : 0)} ${units[unit] ?? 'TiB'}`;
}

const OUTCOME_TAIL: Record<LogbookLanguage, Record<string, string>> = {
  en: { failed: ' — failed', refused: ' — refused' },
  vi: { failed: ' — thất bại', refused: ' — bị từ chối' },
};

/** " — failed" / " — refused" after an action's words; nothing when it went as asked. */
export function outcomeTail(entry: LogbookEntry, language: LogbookLanguage): string {
  return entry.outcome === null ? '' : (OUTCOME_TAIL[language][entry.outcome] ?? '');
}

/** The procedure's title in the reader's language, else English, else its id. */
export function procedureTitle(facts: LogbookFacts, language: LogbookLanguage): string {
  const own = fact(facts, language === 'vi' ? 'titleVi' : 'titleEn');
  return own || fact(facts, 'titleEn') || fact(facts, 'procedureId', '?');
}

export function stepTitle(facts: LogbookFacts, language: LogbookLanguage): string {
  const own = fact(facts, language === 'vi' ? 'stepTitleVi' : 'stepTitleEn');
  return own || fact(facts, 'stepTitleEn') || fact(facts, 'stepId', '?');
}

/**
 * A message the core kept as words (a fact holding its JSON) in the reader's language; the English fact beside it
 * when there are no words (an entry written before they were kept).
 */
export function saidFact(facts: LogbookFacts, key: string, englishKey: string, language: LogbookLanguage): string {
  const english = fact(facts, englishKey);
  const json = facts[key];
  if (typeof json !== 'string' || json === '') {
    return english;
  }
  try {
    const parsed = SaidSchema.safeParse(JSON.parse(json));
    return parsed.success ? sayIn(parsed.data, language, english) : english;
  } catch {
    return english;
  }
}

/** The first line of a free text, cut to fit a list row. */
export function line(text: string, max = 140): string {
  const first = text.split('\n', 1)[0] ?? '';
  return first.length > max ? `${first.slice(0, max - 1)}…` : first;
}

/** A run, backup or transaction id as people read it in a list: its first eight characters. */
export function shortId(value: string): string {
  return value.slice(0, 8);
}
