// The column types a user can pick, and the rules every value meets whatever its type: parsing form
// text or typed JSON, reading back as text, the JSON form. Each type's own rules are in column-type/.
import type { RawBuilder } from 'kysely'
import {
  COLUMN_TYPE_DEFINITIONS,
  type ColumnType,
  definitionOf,
  type ParseResult,
} from './column-type/index.js'

export { EMAIL_PATTERN } from './column-type/email.js'
export type { ColumnType, ParseResult } from './column-type/index.js'
export { definitionOf } from './column-type/index.js'
export { URL_PATTERN } from './column-type/url.js'

export const COLUMN_TYPES = Object.keys(COLUMN_TYPE_DEFINITIONS) as ColumnType[]

export const COLUMN_TYPE_LABELS = Object.fromEntries(
  COLUMN_TYPES.map((type) => [type, definitionOf(type).label]),
) as Record<ColumnType, string>

export function isColumnType(value: unknown): value is ColumnType {
  return typeof value === 'string' && Object.hasOwn(COLUMN_TYPE_DEFINITIONS, value)
}

// Lone surrogates (half of a UTF-16 pair) are not Unicode: Postgres cannot store them as UTF-8.
const SURROGATE = /[\ud800-\udfff]/
const LONE_SURROGATE = /\p{Cs}/u

// What no text may contain, whatever its column: checked before anything reaches the database.
export function textProblem(text: string): string | null {
  if (text.includes('\0')) return 'Must not contain a NUL character'
  if (SURROGATE.test(text) && LONE_SURROGATE.test(text)) {
    return 'Must not contain invalid Unicode (an unpaired surrogate)'
  }
  return null
}

const fail = (message: string): ParseResult => ({ ok: false, message })
const blank: ParseResult = { ok: true, value: null }

// Turns what a user typed (or a CSV cell, or a default) into the text Postgres accepts for the
// type. Blank means null; `required` is enforced separately.
export function parseValue(
  type: ColumnType,
  raw: string,
  choices: readonly string[] | null = null,
): ParseResult {
  const problem = textProblem(raw)
  if (problem) return fail(problem)
  const definition = definitionOf(type)
  const value = definition.trims ? raw.trim() : raw
  if (value.trim() === '') return blank
  return definition.parse(value, { choices })
}

// The same for a typed JSON value: null, a number, a boolean, a string (read as form text, except
// in JSON columns, where it is a JSON string), or for JSON columns any JSON value.
export function parseTypedValue(
  type: ColumnType,
  value: unknown,
  choices: readonly string[] | null = null,
): ParseResult {
  if (value === null || value === undefined) return blank
  const definition = definitionOf(type)
  if (typeof value === 'string') {
    if (definition.typedStrings === 'text') return parseValue(type, value, choices)
    const problem = textProblem(value)
    if (problem) return fail(problem)
  }
  return definition.parseTyped
    ? definition.parseTyped(value, { choices })
    : fail(definition.typeMessage)
}

// How a column is read back: always as text, so both drivers return the same thing.
export function selectAsText(type: ColumnType, column: RawBuilder<unknown>): RawBuilder<string> {
  return definitionOf(type).readSql(column)
}

// The JSON form of a value read back by `selectAsText`; exact numbers and JSON come as RawJson.
export function toJsonValue(type: ColumnType, text: string | null): unknown {
  return text === null ? null : definitionOf(type).toJson(text)
}
