import { LOCALES, type Language } from './languages';

const formatters = new Map<Language, Intl.DateTimeFormat>();

/** A timestamp as technicians read it: local date and time to the second. Unparseable input is shown as is. */
export function formatTime(iso: string, language: Language): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) {
    return iso;
  }
  let formatter = formatters.get(language);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat(LOCALES[language], { dateStyle: 'short', timeStyle: 'medium' });
    formatters.set(language, formatter);
  }
  return formatter.format(date);
}

export function formatSeconds(durationMs: number, language: Language): string {
  return (durationMs / 1000).toLocaleString(LOCALES[language], { maximumFractionDigits: 1 });
}
