// Pieces of the SQL twins of the parse rules, shared by the column types.
import { type RawBuilder, sql } from 'kysely'

// Exactly what JavaScript's trim() and \s treat as white space.
export const JS_WHITESPACE =
  '\t\n\v\f\r \u00a0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u2028\u2029\u202f\u205f\u3000\ufeff'

// The CHECK patterns use \s; Postgres reads it by locale, JavaScript by its own list.
export const jsPattern = (pattern: string) => pattern.replaceAll('\\s', JS_WHITESPACE)

export const trimSql = (text: RawBuilder<unknown>) =>
  sql<string>`btrim(${text}, ${sql.lit(JS_WHITESPACE)})`

export const words = (list: readonly string[]) => sql.join(list.map((word) => sql.lit(word)))

// JavaScript counts UTF-16 units: characters beyond the Basic Multilingual Plane count twice.
// A UTF-16 length lies between the character and the UTF-8 byte counts, so only texts between the
// two need the characters counted.
export function lengthOkSql(v: RawBuilder<unknown>, maxLength: number): RawBuilder<boolean> {
  const max = sql.lit(maxLength)
  const astral = sql`char_length(regexp_replace(${v}, '[^\\U00010000-\\U0010FFFF]', '', 'g'))`
  return sql<boolean>`(case when octet_length(${v}) <= ${max} then true
    when char_length(${v}) > ${max} then false
    else char_length(${v}) + ${astral} <= ${max} end)`
}

// Date.UTC reads years 0–99 as 1900–1999, so the parse rules refuse them; so does this.
export function validDateSql(v: RawBuilder<unknown>): RawBuilder<boolean> {
  const y = sql`substr(${v}, 1, 4)::int`
  const m = sql`substr(${v}, 6, 2)::int`
  const d = sql`substr(${v}, 9, 2)::int`
  const leap = sql`(${y} % 4 = 0 and ${y} % 100 <> 0 or ${y} % 400 = 0)`
  return sql<boolean>`(${y} >= 100 and ${m} between 1 and 12 and ${d} between 1 and
    case when ${m} = 2 then case when ${leap} then 29 else 28 end
      when ${m} in (4, 6, 9, 11) then 30 else 31 end)`
}

export const whenMatches = (v: RawBuilder<unknown>, re: string, then: RawBuilder<boolean>) =>
  sql<boolean>`(case when ${v} ~ ${sql.lit(re)} then ${then} else false end)`

export const matchesPatternSql = (v: RawBuilder<unknown>, pattern: string) =>
  sql<boolean>`(${v} ~ ${sql.lit(jsPattern(pattern))} and ${v} ~ ${sql.lit(pattern)})`

// The column's value as it is, for types stored as the text that was accepted.
export const asIs = (v: RawBuilder<unknown>) => sql`${v}`
export const asText = (column: RawBuilder<unknown>) => sql<string>`${column}::text`

// Values that can outgrow a B-tree entry (~2.7 kB) sort by their first 200 characters (ties by
// row id), which an index can hold. The expression must stay as it is: indexes are built on it.
export const SORT_PREFIX = 200
export const sortPrefixSql = (column: RawBuilder<unknown>) =>
  sql`left(${column}::text, ${sql.lit(SORT_PREFIX)})`
