import type { CheckResult } from '../health';
import type { LogbookLanguage } from '../logbook';
import { sayParts, sayText, type Said, type SaidPart, type SaidValue } from '../said';
import { API_WORDS } from './api';
import { BUS_WORDS } from './bus';
import { CLI_WORDS } from './cli';
import { COMMON_WORDS } from './common';
import { FINDING_WORDS } from './findings';
import { HISTORY_WORDS } from './history';
import { LOGS_WORDS } from './logs';
import { NETWORK_WORDS } from './network';
import { RESOURCES_WORDS } from './resources';
import { RS485_WORDS } from './rs485';
import { RUN_WORDS } from './runs';
import { SERVICES_WORDS } from './services';
import { TELEMETRY_WORDS } from './telemetry';
import { VEHICLE_WORDS } from './vehicle';

/**
 * Every message the core says, registered once by id with its words in English and Vietnamese: the verdicts of the
 * diagnosis and the bus doctor, findings, gate readings and step outcomes. The core stores the id and parameters
 * (and the English, for search and for older builds); each face says them in the reader's language.
 */
export const WORDS = {
  ...COMMON_WORDS,
  ...SERVICES_WORDS,
  ...LOGS_WORDS,
  ...API_WORDS,
  ...RESOURCES_WORDS,
  ...NETWORK_WORDS,
  ...VEHICLE_WORDS,
  ...RS485_WORDS,
  ...BUS_WORDS,
  ...FINDING_WORDS,
  ...RUN_WORDS,
  ...HISTORY_WORDS,
  ...TELEMETRY_WORDS,
  ...CLI_WORDS,
} as const;

export type WordKey = keyof typeof WORDS;

/** A message by its id; a misspelt id fails the type check. */
export function say(key: WordKey, params?: Record<string, SaidValue>): Said {
  return params === undefined ? { key } : { key, params };
}

/** A check's message and its id together: `{...said('services.stopped', {service})}` in a check result. */
export function said(key: WordKey, params?: Record<string, SaidValue>): { message: string; say: Said } {
  const words = say(key, params);
  return { message: sayText(words, 'en', WORDS), say: words };
}

/** A check's message and its words from words already built (nested, or chosen among several). */
export function asMessage(words: Said): { message: string; say: Said } {
  return { message: sayText(words, 'en', WORDS), say: words };
}

/** The message in the reader's language, in pieces (the vehicle's own text marked as such). */
export function sayPartsIn(words: Said, language: LogbookLanguage, fallback?: string): SaidPart[] {
  return sayParts(words, language, WORDS, fallback);
}

export function sayIn(words: Said, language: LogbookLanguage, fallback?: string): string {
  return sayText(words, language, WORDS, fallback);
}

/** A check's message in the reader's language: its words when it has them, else the English it was stored with. */
export function checkMessage(check: Pick<CheckResult, 'message' | 'say'>, language: LogbookLanguage): string {
  return check.say ? sayIn(check.say, language, check.message) : check.message;
}

export function checkMessageParts(check: Pick<CheckResult, 'message' | 'say'>, language: LogbookLanguage): SaidPart[] {
  return check.say ? sayPartsIn(check.say, language, check.message) : [{ text: check.message }];
}
