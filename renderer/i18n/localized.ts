import type { Language } from './languages';

/** A procedure's text in the technician's language; English, then any language it has, when that one is missing. */
export function localized(text: Readonly<Record<string, string>> | null | undefined, language: Language): string {
  if (!text) {
    return '';
  }
  return text[language] ?? text['en'] ?? Object.values(text)[0] ?? '';
}
