import type { LogbookLanguage } from '../../../shared/domain/logbook';
import type { Said } from '../../../shared/domain/said';
import { sayPartsIn } from '../../../shared/domain/words';

/* Text for the reports every feature prints: CSV fields and HTML, escaped. */

/** RFC 4180 quoting; a value a spreadsheet would run as a formula (=, +, -, @) is prefixed with a quote. */
export function csvField(value: string): string {
  const safe = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

/** Text as HTML: the five characters that could open markup or end an attribute, escaped. */
export function esc(value: string): string {
  return value
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
}

/**
 * A message the core said, as HTML in the reader's language: the vehicle's own text (a journal line, a status word)
 * quoted as it came, marked as not to be translated. Without words, the English it was stored with.
 */
export function saidHtml(message: { message: string; say?: Said | undefined }, language: LogbookLanguage): string {
  if (!message.say) {
    return esc(message.message);
  }
  return sayPartsIn(message.say, language, message.message)
    .map((part) => (part.raw ? `<q class="raw" lang="en" translate="no">${esc(part.text)}</q>` : esc(part.text)))
    .join('');
}
