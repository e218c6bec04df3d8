// Integer: a whole number that fits Postgres's bigint.
import { sql } from 'kysely'
import * as v from 'valibot'
import {
  type ColumnTypeDefinition,
  fail,
  isUnsafeInteger,
  ok,
  typedNumberText,
  UNSAFE_INTEGER_MESSAGE,
} from './definition.js'
import { asIs, asText, whenMatches } from './sql-rules.js'

const INT64_MAX = 9223372036854775807n
const MESSAGE = 'Must be a whole number'
// Bounded repeats like {1,19} make Postgres' regex engine several times slower, so the length is
// checked apart.
const INTEGER_RE = '^[+-]?[0-9]+$'

function parse(value: string) {
  if (!/^[+-]?\d{1,19}$/.test(value)) return fail(MESSAGE)
  const big = BigInt(value)
  if (big > INT64_MAX || big < -INT64_MAX - 1n) return fail(MESSAGE)
  return ok(big.toString())
}

export const integer: ColumnTypeDefinition = {
  label: 'Integer',
  postgres: 'bigint',
  maxLength: null,
  trims: true,
  typeMessage: MESSAGE,
  parse,
  parseTyped(value) {
    if (isUnsafeInteger(value)) return fail(UNSAFE_INTEGER_MESSAGE)
    const text = typedNumberText(value)
    return text === null ? fail(MESSAGE) : parse(text)
  },
  typedStrings: 'text',
  typedSchema: v.union([
    v.pipe(v.number(), v.safeInteger()),
    v.pipe(v.string(), v.regex(/^[+-]?\d{1,19}$/)),
  ]),
  readSql: asText,
  // Beyond 2^53 a double would round it: the JSON form is then a string.
  toJson(value) {
    const n = Number(value)
    return Number.isSafeInteger(n) ? n : value
  },
  sortSql: asIs,
  sortType: 'bigint',
  searchable: false,
  checkSql: () => null,
  checkMessage: null,
  // Only 19-digit numbers can be out of range; octet_length is free, the cast is not.
  acceptsSql: (value) =>
    whenMatches(
      value,
      INTEGER_RE,
      sql`(octet_length(${value}) <= 18 or char_length(ltrim(${value}, '+-')) <= 19
        and ${value}::numeric between -9223372036854775808 and 9223372036854775807)`,
    ),
  convertSql: (value) => sql`${value}::bigint`,
}
