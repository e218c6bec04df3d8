// Decimal: an exact number (numeric), up to 1,000 digits and an exponent of up to 3 digits.
import { sql } from 'kysely'
import * as v from 'valibot'
import { checkNumberDigits, MAX_NUMBER_DIGITS } from '../json-scan.js'
import { RawJson } from '../raw-json.js'
import { type ColumnTypeDefinition, fail, ok, typedNumberText } from './definition.js'
import { asIs, asText } from './sql-rules.js'

const MESSAGE = 'Must be a number'
const DECIMAL_PATTERN = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d{1,3})?$/
const DECIMAL_RE = '^[+-]?([0-9]+[.]?[0-9]*|[.][0-9]+)([eE][+-]?[0-9][0-9]?[0-9]?)?$'
// What Postgres's numeric writes is a valid JSON number, but a value of another type read under
// an outdated column list (see fresh-columns.ts) must not become invalid JSON.
const JSON_NUMBER = /^-?(0|[1-9]\d*)(\.\d+)?$/

function parse(value: string) {
  if (!DECIMAL_PATTERN.test(value)) return fail(MESSAGE)
  if (!checkNumberDigits(value)) {
    return fail(`Must have at most ${MAX_NUMBER_DIGITS.toLocaleString('en-GB')} digits`)
  }
  return ok(value)
}

export const decimal: ColumnTypeDefinition = {
  label: 'Decimal',
  postgres: 'numeric',
  maxLength: null,
  trims: true,
  typeMessage: MESSAGE,
  parse,
  parseTyped(value) {
    const text = typedNumberText(value)
    return text === null ? fail(MESSAGE) : parse(text)
  },
  typedStrings: 'text',
  typedSchema: v.union([v.number(), v.pipe(v.string(), v.regex(DECIMAL_PATTERN))]),
  readSql: asText,
  // Written out with every digit, as a JSON number.
  toJson: (value) => (JSON_NUMBER.test(value) ? new RawJson(value) : value),
  sortSql: asIs,
  sortType: 'numeric',
  searchable: false,
  checkSql: () => null,
  checkMessage: null,
  acceptsSql: (value) =>
    sql<boolean>`(${value} ~ ${sql.lit(DECIMAL_RE)} and char_length(regexp_replace(
      split_part(lower(${value}), 'e', 1), '[^0-9]', '', 'g')) <= ${sql.lit(MAX_NUMBER_DIGITS)})`,
  convertSql: (value) => sql`${value}::numeric`,
}
