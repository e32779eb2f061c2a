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
