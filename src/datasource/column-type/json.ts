// JSON: any JSON value, stored as jsonb exactly as it reads the text (numbers keep every digit).
import { sql } from 'kysely'
import * as v from 'valibot'
import { checkJson, JsonContentError, JsonSyntaxError, MAX_JSON_DEPTH } from '../json-scan.js'
import { RawJson, stringifyExact } from '../raw-json.js'
import {
  type ColumnTypeDefinition,
  fail,
  formatLimit,
  isUnsafeInteger,
  ok,
  type ParseResult,
} from './definition.js'
import { asText, sortPrefixSql } from './sql-rules.js'

// As typed, and as jsonb writes it back (with its spacing, and numbers written out in full).
const MAX_LENGTH = 1_000_000
const MESSAGE = 'Must be a JSON value'

// The text is stored as given: jsonb normalises it itself, so nothing is rounded on the way.
function parse(text: string): ParseResult {
  if (text.length > MAX_LENGTH) return fail(`Must be at most ${formatLimit(MAX_LENGTH)} characters`)
  try {
    if (checkJson(text) > MAX_LENGTH) {
      return fail(
        `Must be at most ${formatLimit(MAX_LENGTH)} characters as stored (numbers written out in full)`,
      )
    }
    return ok(text)
  } catch (error) {
    if (error instanceof JsonSyntaxError) return fail(`Must be valid JSON (${error.message})`)
    if (error instanceof JsonContentError) return fail(error.message)
    throw error
  }
}

// Why a value handed over as JavaScript (not as text) cannot be stored exactly, or null.
function typedProblem(value: unknown, depth = 0): string | null {
  if (depth > MAX_JSON_DEPTH) return `Can nest at most ${formatLimit(MAX_JSON_DEPTH)} levels deep`
  if (value === null || value instanceof RawJson) return null
  if (['string', 'boolean', 'bigint'].includes(typeof value)) return null
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) return 'Numbers must be finite'
    // A double has already rounded it; refuse rather than store the rounded number.
    return isUnsafeInteger(value)
      ? 'Has a whole number beyond 2^53 that may have lost digits'
      : null
  }
  const items = Array.isArray(value)
    ? value
    : typeof value === 'object' && [Object.prototype, null].includes(Object.getPrototypeOf(value))
      ? Object.values(value as object)
      : null
  if (items === null) return MESSAGE
  for (const item of items) {
    const problem = typedProblem(item, depth + 1)
    if (problem) return problem
  }
  return null
}

export const json: ColumnTypeDefinition = {
  label: 'JSON',
  postgres: 'jsonb',
  maxLength: MAX_LENGTH,
  trims: false,
  typeMessage: MESSAGE,
  parse,
  parseTyped(value) {
    const problem = typedProblem(value)
    return problem ? fail(problem) : parse(stringifyExact(value))
  },
  typedStrings: 'value',
  typedSchema: v.unknown(),
  readSql: asText,
  toJson: (text) => new RawJson(text),
  sortSql: sortPrefixSql,
  sortType: 'text',
  searchable: false,
  checkSql: () => null,
  checkMessage: null,
  // Postgres 15 cannot test JSON text without raising an error.
  acceptsSql: null,
  convertSql: (value) => sql`${value}::jsonb`,
}
