// The column types a user can pick: their Postgres type, input parsing, and JSON form.
import { type RawBuilder, sql } from 'kysely'

export const COLUMN_TYPES = [
  'text',
  'long_text',
  'integer',
  'decimal',
  'boolean',
  'date',
  'datetime',
  'choice',
  'email',
  'url',
  'json',
] as const

export type ColumnType = (typeof COLUMN_TYPES)[number]

export const COLUMN_TYPE_LABELS: Record<ColumnType, string> = {
  text: 'Text',
  long_text: 'Long text',
  integer: 'Integer',
  decimal: 'Decimal',
  boolean: 'Yes / no',
  date: 'Date',
  datetime: 'Date and time',
  choice: 'Choice',
  email: 'Email',
  url: 'URL',
  json: 'JSON',
}

export const POSTGRES_TYPES: Record<ColumnType, string> = {
  text: 'text',
  long_text: 'text',
  integer: 'bigint',
  decimal: 'numeric',
  boolean: 'boolean',
  date: 'date',
  datetime: 'timestamptz',
  choice: 'text',
  email: 'text',
  url: 'text',
  json: 'jsonb',
}

// Text-like columns are the ones search looks in.
export const SEARCHABLE_TYPES: ReadonlySet<ColumnType> = new Set([
  'text',
  'long_text',
  'choice',
  'email',
  'url',
])

export const EMAIL_PATTERN = '^[^@\\s]+@[^@\\s]+\\.[^@\\s]+$'
export const URL_PATTERN = '^https?://[^\\s/$.?#][^\\s]*$'

export function isColumnType(value: unknown): value is ColumnType {
  return typeof value === 'string' && (COLUMN_TYPES as readonly string[]).includes(value)
}

// What a CHECK constraint (and parseValue) says about a value a type refuses.
export const CHECK_MESSAGES: Partial<Record<ColumnType, string>> = {
  choice: 'Must be one of the listed choices',
  email: 'Must be a valid email address',
  url: 'Must be a web address starting with http:// or https://',
}

// Lengths in UTF-16 units (as JavaScript counts). Text and email stay short enough for the
// (column, id) B-tree index that sorts them (an entry must fit in ~2.7 kB); long text need not.
export const MAX_LENGTHS: Partial<Record<ColumnType, number>> = {
  text: 500,
  long_text: 1_000_000,
  email: 254,
}

export type ParseResult = { ok: true; value: string | null } | { ok: false; message: string }

const INT64_MAX = 9223372036854775807n
const BOOLEAN_WORDS: Record<string, string> = {
  true: 'true',
  t: 'true',
  yes: 'true',
  y: 'true',
  on: 'true',
  '1': 'true',
  false: 'false',
  f: 'false',
  no: 'false',
  n: 'false',
  off: 'false',
  '0': 'false',
}

function isValidDate(year: number, month: number, day: number): boolean {
  const date = new Date(Date.UTC(year, month - 1, day))
  return (
    date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day
  )
}

const fail = (message: string): ParseResult => ({ ok: false, message })
const tooLong = (type: ColumnType) =>
  `Must be at most ${(MAX_LENGTHS[type] ?? 0).toLocaleString('en-GB')} characters${type === 'text' ? ' (use Long text for more)' : ''}`
const ok = (value: string | null): ParseResult => ({ ok: true, value })

// Turns what a user typed (or a CSV cell) into the text Postgres accepts for the type.
// Blank means null; `required` is enforced separately.
export function parseValue(
  type: ColumnType,
  raw: string,
  choices: readonly string[] | null = null,
): ParseResult {
  if (raw.includes('\0')) return fail('Must not contain a NUL character')
  const value = type === 'long_text' || type === 'json' ? raw : raw.trim()
  if (value.trim() === '') return ok(null)
  switch (type) {
    case 'text':
    case 'long_text':
      return value.length > (MAX_LENGTHS[type] ?? 0) ? fail(tooLong(type)) : ok(value)
    case 'integer': {
      if (!/^[+-]?\d{1,19}$/.test(value)) return fail('Must be a whole number')
      const big = BigInt(value)
      if (big > INT64_MAX || big < -INT64_MAX - 1n) return fail('Must be a whole number')
      return ok(big.toString())
    }
    case 'decimal':
      return /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d{1,3})?$/.test(value)
        ? ok(value)
        : fail('Must be a number')
    case 'boolean': {
      const key = value.toLowerCase()
      const word = Object.hasOwn(BOOLEAN_WORDS, key) ? BOOLEAN_WORDS[key] : undefined
      return word ? ok(word) : fail('Must be yes or no')
    }
    case 'date': {
      const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value)
      return match && isValidDate(Number(match[1]), Number(match[2]), Number(match[3]))
        ? ok(value)
        : fail('Must be a date like 2017-06-08')
    }
    case 'datetime': {
      const match =
        /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(:\d{2}(\.\d{1,6})?)?(Z|[+-]\d{2}:?\d{2})?$/i.exec(
          value,
        )
      const valid =
        match &&
        isValidDate(Number(match[1]), Number(match[2]), Number(match[3])) &&
        Number(match[4]) < 24 &&
        Number(match[5]) < 60 &&
        (!match[6] || Number(match[6].slice(1, 3)) < 60) &&
        (!match[8] ||
          /^z$/i.test(match[8]) ||
          (Number(match[8].slice(1, 3)) <= 15 && Number(match[8].slice(-2)) < 60))
      return valid
        ? ok(match[8] ? value : `${value}Z`)
        : fail('Must be a date and time like 2017-06-08 22:00')
    }
    case 'choice':
      return choices?.includes(value) ? ok(value) : fail(CHECK_MESSAGES.choice as string)
    case 'email':
      if (value.length > (MAX_LENGTHS.email ?? 0)) return fail(tooLong('email'))
      return new RegExp(EMAIL_PATTERN).test(value)
        ? ok(value)
        : fail(CHECK_MESSAGES.email as string)
    case 'url':
      return new RegExp(URL_PATTERN).test(value) ? ok(value) : fail(CHECK_MESSAGES.url as string)
    case 'json':
      try {
        return ok(JSON.stringify(JSON.parse(value)))
      } catch {
        return fail('Must be valid JSON')
      }
  }
}

// How a column is read back: always as text, so both drivers return the same thing.
export function selectAsText(type: ColumnType, column: RawBuilder<unknown>): RawBuilder<string> {
  if (type === 'datetime') {
    return sql<string>`to_char(${column} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"')`
  }
  return sql<string>`${column}::text`
}

// The JSON form of a value read back by `selectAsText`.
export function toJsonValue(type: ColumnType, text: string | null): unknown {
  if (text === null) return null
  switch (type) {
    case 'integer': {
      const n = Number(text)
      return Number.isSafeInteger(n) ? n : text
    }
    case 'decimal':
      return Number(text)
    case 'boolean':
      return text === 'true'
    case 'json':
      return JSON.parse(text)
    default:
      return text
  }
}
