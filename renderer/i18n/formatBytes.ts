import { LOCALES, type Language } from './languages';

const UNITS = ['B', 'KB', 'MB', 'GB', 'TB'] as const;

/** A size as people read it (1 KB = 1024 B), with one decimal once it is past bytes. */
export function formatBytes(bytes: number, language: Language): string {
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < UNITS.length - 1) {
    value /= 1024;
    unit += 1;
  }
  const digits = unit === 0 ? 0 : 1;
  return `${value.toLocaleString(LOCALES[language], { maximumFractionDigits: digits })} ${UNITS[unit]}`;
}
