// Writes CSV lines that keep NULL and '' apart, for exports and PostgreSQL COPY ... CSV input.

// Quoted when the value has a quote, CR or LF, leading or trailing whitespace, or is exactly
// `\.` (COPY's end-of-data marker). The delimiter is checked separately.
const NEEDS_QUOTES = /["\r\n]|^\s|\s$|^\\\.$/

// null becomes an empty unquoted field (COPY reads NULL); '' becomes `""` (an empty string).
export function formatCsvField(value: string | null, delimiter = ','): string {
  if (value === null) return ''
  if (value === '' || value.includes(delimiter) || NEEDS_QUOTES.test(value)) {
    return `"${value.replaceAll('"', '""')}"`
  }
  return value
}

// One CSV line terminated by '\n' (not RFC 4180's '\r\n': COPY and parseCsv accept both, and
// Unix tools expect '\n'). Beware: a one-column row holding null is an empty line, which
// COPY reads as NULL but parseCsv skips as blank.
export function formatCsvRow(values: readonly (string | null)[], delimiter = ','): string {
  return `${values.map((value) => formatCsvField(value, delimiter)).join(delimiter)}\n`
}
