/**
 * CSV as RFC 4180 writes it (CRLF, quotes doubled), made safe to open in a spreadsheet: a cell
 * that starts with `=`, `+`, `-`, `@`, a tab or a carriage return would be read as a formula
 * (OWASP "CSV injection"), so it gets a leading apostrophe, which spreadsheets show as text.
 *
 * Where the list separator is `;` (much of Europe), Excel splits each line on `;`, and a field
 * counts as quoted only if it starts with a quote: the text after a `;` inside a cell starts a
 * field of its own there. So a cell with `;` is quoted, and a formula after a `;` in it gets the
 * apostrophe too.
 */
const FORMULA_START = /(^|;)(?=[=+\-@\t\r])/g;
const NEEDS_QUOTES = /[",;\r\n]/;

export type CsvValue = string | number | boolean | null | undefined;

export function csvCell(value: CsvValue): string {
  if (value === null || value === undefined) return '';
  let text = typeof value === 'boolean' ? (value ? 'yes' : 'no') : String(value);
  if (typeof value === 'string') text = text.replace(FORMULA_START, "$1'");
  return NEEDS_QUOTES.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

export function csvLine(values: readonly CsvValue[]): string {
  return `${values.map(csvCell).join(',')}\r\n`;
}
