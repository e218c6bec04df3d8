// What a column type is: one record per type (label, storage, limits, parsing, JSON form, SQL rules).
import type { RawBuilder } from 'kysely'
import type * as v from 'valibot'
import { RawJson } from '../raw-json.js'

export type ParseResult = { ok: true; value: string | null } | { ok: false; message: string }

// What a type's rules need to know about a column besides its type.
export interface ColumnRules {
  choices: readonly string[] | null
}

export interface ColumnTypeDefinition {
  label: string
  // The native Postgres type the column is stored as.
  postgres: string
  // The most UTF-16 units a value may have, as typed (null: the type bounds it itself).
  maxLength: number | null
  // Whether form text is trimmed before it is parsed (and stored trimmed).
  trims: boolean
  // The message for a value of the wrong kind, e.g. a boolean for an integer column.
  typeMessage: string
  // Non-blank form text (trimmed if `trims`, free of NUL and lone surrogates) → the text Postgres
  // stores, or a message.
  parse(text: string, rules: ColumnRules): ParseResult
  // A typed JSON value other than null (and other than a string, unless `typedStrings` is 'value').
  // Absent: only strings (read as form text) are accepted.
  parseTyped?(value: unknown, rules: ColumnRules): ParseResult
  // How a string in typed JSON is read: as form text, or (JSON columns) as a JSON string value.
  typedStrings: 'text' | 'value'
  // The JSON values the API accepts, as a schema (for documentation; parseTyped decides).
  typedSchema: v.GenericSchema
  // The stored value as text (the same on both drivers), and the JSON form of that text.
  readSql(column: RawBuilder<unknown>): RawBuilder<string>
  toJson(text: string): unknown
  // What the column sorts by (also its B-tree index), and that expression's Postgres type.
  sortSql(column: RawBuilder<unknown>): RawBuilder<unknown>
  sortType: string
  // Whether search looks in it (and it gets a trigram index).
  searchable: boolean
  // A CHECK constraint for rules Postgres would not enforce by the type alone, and its message.
  checkSql(column: RawBuilder<unknown>, rules: ColumnRules): RawBuilder<boolean> | null
  checkMessage: string | null
  // parse's rules again in SQL, for non-blank text as parse would see it: true if accepted. Null
  // when no SQL test can avoid raising an error (JSON): such values go through parse instead.
  acceptsSql: ((text: RawBuilder<unknown>, rules: ColumnRules) => RawBuilder<boolean>) | null
  // The stored value from accepted text (trimmed as parse trims it).
  convertSql(text: RawBuilder<unknown>): RawBuilder<unknown>
}

export const ok = (value: string | null): ParseResult => ({ ok: true, value })
export const fail = (message: string): ParseResult => ({ ok: false, message })

export const formatLimit = (n: number) => n.toLocaleString('en-GB')

export const tooLongMessage = (max: number, hint = '') =>
  `Must be at most ${formatLimit(max)} characters${hint}`

// The exact text of a typed number: a RawJson (from parseJsonExact), a bigint, or a finite number.
export function typedNumberText(value: unknown): string | null {
  if (value instanceof RawJson) return value.text
  if (typeof value === 'bigint') return value.toString()
  if (typeof value === 'number' && Number.isFinite(value)) return String(value)
  return null
}

// A double has already rounded whole numbers beyond 2^53; they must come as text (or exact JSON).
export const UNSAFE_INTEGER_MESSAGE =
  'Must be sent as a string beyond 2^53 (9,007,199,254,740,991), so no digit is lost'
export const isUnsafeInteger = (value: unknown) =>
  typeof value === 'number' && Number.isInteger(value) && !Number.isSafeInteger(value)
