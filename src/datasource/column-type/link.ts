// Link: a single link to a row of another table of the same owner, stored as that row's id in a
// bigint column with a real foreign key to the target table's id (see ddl.ts and columns.ts).
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

export const isLinkType = (type: string) => type === 'link'

// A link column that holds several links, in a junction table (see link-lists.ts): no cell.
export const isLinkList = (column: { link?: { many?: boolean } | null } | null | undefined) =>
  column?.link?.many === true

// Columns stored in the user table itself (a several-links column is not).
export const cellColumns = <T extends { link?: { many?: boolean } | null }>(
  columns: readonly T[],
) => columns.filter((column) => !isLinkList(column))

const MESSAGE = 'Must be the id of a row of the linked table'
// Row ids are positive bigints; 18 digits always fit.
const ID_RE = '^[0-9]{1,18}$'

function parse(value: string) {
  if (!/^\d{1,18}$/.test(value) || BigInt(value) === 0n) return fail(MESSAGE)
  return ok(BigInt(value).toString())
}

export const link: ColumnTypeDefinition = {
  label: 'Link to another table',
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
    v.pipe(v.number(), v.safeInteger(), v.minValue(1)),
    v.pipe(v.string(), v.regex(/^\d{1,18}$/)),
  ]),
  readSql: asText,
  toJson(value) {
    const n = Number(value)
    return Number.isSafeInteger(n) ? n : value
  },
  sortSql: asIs,
  sortType: 'bigint',
  searchable: false,
  checkSql: () => null,
  checkMessage: null,
  acceptsSql: (value) => whenMatches(value, ID_RE, sql`(${value}::bigint > 0)`),
  convertSql: (value) => sql`${value}::bigint`,
}
