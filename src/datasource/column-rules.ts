// parseValue's rules written again in SQL, so a whole column can be checked and converted in place.
// Each type's own twin is its acceptsSql and convertSql; this file feeds them as parseValue is fed.
import { type RawBuilder, sql } from 'kysely'
import { trimSql } from './column-type/sql-rules.js'
import { type ColumnType, definitionOf } from './column-types.js'

export { JS_WHITESPACE, jsPattern } from './column-type/sql-rules.js'

// A column's values as parseValue would be given them, and trimmed as it trims them. Only text
// that was stored untrimmed (long text) pays for trimming again; jsonb writes no outer spaces.
export interface Source {
  text: RawBuilder<unknown>
  trimmed: RawBuilder<unknown>
}

export const sourceOf = (type: ColumnType, text: RawBuilder<unknown>): Source => ({
  text,
  trimmed:
    definitionOf(type).trims || definitionOf(type).postgres !== 'text' ? text : trimSql(text),
})

export const blankSql = (source: Source) =>
  sql<boolean>`(${source.trimmed} is null or ${source.trimmed} = '')`

// What parseValue looks at: the text, trimmed for the types that trim.
const parseInput = (type: ColumnType, source: Source) =>
  definitionOf(type).trims ? source.trimmed : source.text

// Whether `type` has an SQL twin of its rules (JSON has none: it is checked by parseValue).
export const checkableInSql = (type: ColumnType) => definitionOf(type).acceptsSql !== null

// True for the rows whose text parseValue would refuse for `type` (which must be checkable in SQL).
// NUL cannot be in Postgres text; lone surrogates cannot be in UTF-8: neither needs a test here.
export function refusedSql(
  type: ColumnType,
  source: Source,
  choices: readonly string[] | null,
): RawBuilder<boolean> {
  const { acceptsSql } = definitionOf(type)
  if (!acceptsSql) throw new Error(`${type} values are checked by parseValue, not in SQL`)
  const accepts = acceptsSql(parseInput(type, source), { choices })
  return sql<boolean>`(case when ${blankSql(source)} then false when ${accepts} then false else true end)`
}

// The value of the new type for text that was not refused; blank becomes null.
export function convertedSql(type: ColumnType, source: Source): RawBuilder<unknown> {
  const converted = definitionOf(type).convertSql(parseInput(type, source))
  return sql`(case when ${blankSql(source)} then null else ${converted} end)`
}
