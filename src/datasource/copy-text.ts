// Rows in COPY's text format: one physical line per row, so COPY's "line N" is row N of what was sent.
const SPECIAL = /[\\\t\n\r]/
const SPECIALS = /[\\\t\n\r]/g
const ESCAPES: Record<string, string> = { '\\': '\\\\', '\t': '\\t', '\n': '\\n', '\r': '\\r' }

// NULL is `\N`; a backslash, tab, line feed or carriage return is escaped (so `\.` cannot end the data).
export function formatCopyField(value: string | null): string {
  if (value === null) return '\\N'
  return SPECIAL.test(value) ? value.replace(SPECIALS, (c) => ESCAPES[c] ?? c) : value
}
