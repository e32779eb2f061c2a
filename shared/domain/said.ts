import { z } from 'zod';

import type { LogbookLanguage } from './logbook';

/*
 * What the core says to a technician, kept as a message id and its parameters so that each face says it in the
 * reader's language (shared/domain/words/ holds the words). A parameter is a name or number as is, a nested message,
 * a list of them, a moment, or text that came from the vehicle and is shown verbatim in every language.
 */

export type SaidValue =
  | string
  | number
  | Said
  /** Text the vehicle printed (a journal line, an HTTP body, an error of the link): never translated. */
  | { raw: string }
  /** A moment, ISO 8601: shown ISO-like in the reader's local time (2026-12-07 14:50). */
  | { at: string }
  /** Words their author wrote in each language (a procedure's option label): the reader's, else English. */
  | { text: Record<string, string> }
  /** Several values said one after the other, joined by `by` (", " unless told). */
  | { list: SaidValue[]; by?: string };

export type Said = { key: string; params?: Record<string, SaidValue> };

export const SaidValueSchema: z.ZodType<SaidValue> = z.lazy(() =>
  z.union([
    z.string(),
    z.number(),
    z.object({ raw: z.string() }).strict(),
    z.object({ at: z.string() }).strict(),
    z.object({ text: z.record(z.string(), z.string()) }).strict(),
    z.object({ list: z.array(SaidValueSchema), by: z.string().optional() }).strict(),
    SaidSchema,
  ]),
);

export const SaidSchema: z.ZodType<Said> = z.lazy(() =>
  z.object({ key: z.string().min(1).max(120), params: z.record(z.string(), SaidValueSchema).optional() }).strict(),
);

/**
 * A message's words in each language. Placeholders: `{name}` (a parameter), `{name:1}` (a number with that many
 * decimals), `{name#one|other}` (the number, then the word for one or for any other count: "1 error", "3 errors").
 */
export type Template = Record<LogbookLanguage, string>;

/** One piece of a said message: `raw` pieces are the vehicle's own text, shown as is in every language. */
export type SaidPart = { text: string; raw?: true };

const LOCALES: Record<LogbookLanguage, string> = { en: 'en-GB', vi: 'vi-VN' };

export function isSaid(value: unknown): value is Said {
  return typeof value === 'object' && value !== null && typeof (value as { key?: unknown }).key === 'string';
}

/** A number as the reader writes it: "88.5" in English, "88,5" in Vietnamese; no thousands separators. */
export function formatNumber(value: number, language: LogbookLanguage, digits?: number): string {
  if (!Number.isFinite(value)) {
    return String(value);
  }
  if (language === 'en') {
    return digits === undefined ? String(value) : value.toFixed(digits);
  }
  return value.toLocaleString(LOCALES[language], {
    useGrouping: false,
    minimumFractionDigits: digits ?? 0,
    maximumFractionDigits: digits ?? 20,
  });
}

const pad = (n: number): string => String(n).padStart(2, '0');

/** A moment, ISO-like in local time, the same in both languages: 2026-12-07 14:50. Unparseable text is shown as is. */
export function formatMoment(iso: string, withSeconds = false): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) {
    return iso;
  }
  const day = `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}`;
  const time = `${pad(date.getHours())}:${pad(date.getMinutes())}${withSeconds ? `:${pad(date.getSeconds())}` : ''}`;
  return `${day} ${time}`;
}

export type WordBook = Readonly<Record<string, Template>>;

/**
 * The message in the reader's language, in pieces (the vehicle's own text apart). A key this build does not know
 * says `fallback` (the English the core stored with it) rather than a bare id.
 */
export function sayParts(said: Said, language: LogbookLanguage, words: WordBook, fallback?: string): SaidPart[] {
  const template = words[said.key]?.[language];
  if (template === undefined) {
    return [{ text: fallback ?? said.key }];
  }
  const parts: SaidPart[] = [];
  const pattern = /\{(\w+)(?::(\d))?(?:#([^|}]*)\|([^}]*))?\}/g;
  let last = 0;
  for (let match = pattern.exec(template); match !== null; match = pattern.exec(template)) {
    parts.push({ text: template.slice(last, match.index) });
    const [, name = '', digits, one, other] = match;
    const value = said.params?.[name];
    if (value === undefined) {
      parts.push({ text: match[0] });
    } else {
      parts.push(...valueParts(value, language, words, digits === undefined ? undefined : Number(digits)));
      if (one !== undefined && other !== undefined) {
        parts.push({ text: ` ${isOne(value) ? one : other}` });
      }
    }
    last = match.index + match[0].length;
  }
  parts.push({ text: template.slice(last) });
  return merge(parts);
}

export function sayText(said: Said, language: LogbookLanguage, words: WordBook, fallback?: string): string {
  return sayParts(said, language, words, fallback)
    .map((part) => part.text)
    .join('');
}

function valueParts(value: SaidValue, language: LogbookLanguage, words: WordBook, digits?: number): SaidPart[] {
  if (typeof value === 'string') {
    return [{ text: value }];
  }
  if (typeof value === 'number') {
    return [{ text: formatNumber(value, language, digits) }];
  }
  if ('raw' in value) {
    return value.raw === '' ? [] : [{ text: value.raw, raw: true }];
  }
  if ('at' in value) {
    return [{ text: formatMoment(value.at) }];
  }
  if ('text' in value) {
    return [{ text: value.text[language] ?? value.text['en'] ?? Object.values(value.text)[0] ?? '' }];
  }
  if ('list' in value) {
    const by = value.by ?? ', ';
    return value.list.flatMap((item, i) => [
      ...(i > 0 ? [{ text: by }] : []),
      ...valueParts(item, language, words, digits),
    ]);
  }
  return sayParts(value, language, words);
}

function isOne(value: SaidValue): boolean {
  return value === 1 || value === '1';
}

/** Neighbouring pieces of the same kind as one, empty ones dropped. */
function merge(parts: readonly SaidPart[]): SaidPart[] {
  const out: SaidPart[] = [];
  for (const part of parts) {
    if (part.text === '') {
      continue;
    }
    const previous = out[out.length - 1];
    if (previous && previous.raw === part.raw) {
      previous.text += part.text;
    } else {
      out.push(part.raw ? { text: part.text, raw: true } : { text: part.text });
    }
  }
  return out;
}
