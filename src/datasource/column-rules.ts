// parseValue's rules written again in SQL, so a whole column can be checked and converted in place.
import { type RawBuilder, sql } from 'kysely'
import { type ColumnType, EMAIL_PATTERN, MAX_LENGTHS, URL_PATTERN } from './column-types.js'

// Exactly what JavaScript's trim() and \s treat as white space.
export const JS_WHITESPACE =
  '\t\n\v\f\r \u00a0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u2028\u2029\u202f\u205f\u3000\ufeff'
const TRUE_WORDS = ['true', 't', 'yes', 'y', 'on', '1']
const BOOLEAN_WORDS = [...TRUE_WORDS, 'false', 'f', 'no', 'n', 'off', '0']
// Bounded repeats like {1,19} make Postgres' regex engine several times slower, so lengths are
// checked apart where that matters.
const INTEGER_RE = '^[+-]?[0-9]+$'
const DECIMAL_RE = '^[+-]?([0-9]+[.]?[0-9]*|[.][0-9]+)([eE][+-]?[0-9][0-9]?[0-9]?)?$'
const DATE_RE = '^[0-9]{4}-[0-9]{2}-[0-9]{2}$'
// parseValue's datetime pattern is case-insensitive: T or t, Z or z.
const DATETIME_RE =
  '^[0-9]{4}-[0-9]{2}-[0-9]{2}[Tt ][0-9]{2}:[0-9]{2}(:[0-9]{2}([.][0-9]{1,6})?)?([Zz]|[+-][0-9]{2}:?[0-9]{2})?$'

// The CHECK patterns use \s; Postgres reads it by locale, JavaScript by its own list.
export const jsPattern = (pattern: string) => pattern.replaceAll('\\s', JS_WHITESPACE)

const trimSql = (text: RawBuilder<unknown>) =>
  sql<string>`btrim(${text}, ${sql.lit(JS_WHITESPACE)})`

// A column's values as parseValue would be given them, and trimmed as it trims them. parseValue
// stores every type but long text trimmed, so only long text pays for trimming again.
export interface Source {
  text: RawBuilder<unknown>
  trimmed: RawBuilder<unknown>
}

export const sourceOf = (type: ColumnType, text: RawBuilder<unknown>): Source => ({
  text,
  trimmed: type === 'long_text' ? trimSql(text) : text,
})

export const blankSql = (source: Source) =>
  sql<boolean>`(${source.trimmed} is null or ${source.trimmed} = '')`

// What parseValue looks at: the text trimmed, except for long text and JSON.
const parseInput = (type: ColumnType, source: Source) =>
  type === 'long_text' || type === 'json' ? source.text : source.trimmed

// True for the rows whose text parseValue would refuse for `type`.
export function refusedSql(
  type: Exclude<ColumnType, 'json'>,
  source: Source,
  choices: readonly string[] | null,
): RawBuilder<boolean> {
  const accepts = acceptsSql(type, parseInput(type, source), choices)
  return sql<boolean>`(case when ${blankSql(source)} then false when ${accepts} then false else true end)`
}

// The value of the new type for text that was not refused; blank becomes null.
export function convertedSql(type: ColumnType, source: Source): RawBuilder<unknown> {
  return sql`(case when ${blankSql(source)} then null else ${convertSql(type, parseInput(type, source))} end)`
}

const words = (list: string[]) => sql.join(list.map((word) => sql.lit(word)))

// JavaScript counts UTF-16 units: characters beyond the Basic Multilingual Plane count twice.
// A UTF-16 length lies between the character and the UTF-8 byte counts, so only texts between the
// two need the characters counted.
function lengthOk(v: RawBuilder<unknown>, type: ColumnType): RawBuilder<boolean> {
  const max = sql.lit(MAX_LENGTHS[type] ?? 0)
  const astral = sql`char_length(regexp_replace(${v}, '[^\\U00010000-\\U0010FFFF]', '', 'g'))`
  return sql<boolean>`(case when octet_length(${v}) <= ${max} then true
    when char_length(${v}) > ${max} then false
    else char_length(${v}) + ${astral} <= ${max} end)`
}

// Date.UTC reads years 0–99 as 1900–1999, so parseValue refuses them; so does this.
function validDate(v: RawBuilder<unknown>): RawBuilder<boolean> {
  const y = sql`substr(${v}, 1, 4)::int`
  const m = sql`substr(${v}, 6, 2)::int`
  const d = sql`substr(${v}, 9, 2)::int`
  const leap = sql`(${y} % 4 = 0 and ${y} % 100 <> 0 or ${y} % 400 = 0)`
  return sql<boolean>`(${y} >= 100 and ${m} between 1 and 12 and ${d} between 1 and
    case when ${m} = 2 then case when ${leap} then 29 else 28 end
      when ${m} in (4, 6, 9, 11) then 30 else 31 end)`
}

// In text that matched DATETIME_RE, a sign can only be the 5th or 6th character from the end: ±hhmm or ±hh:mm.
const signAt = (v: RawBuilder<unknown>, fromEnd: number) =>
  sql<boolean>`substr(${v}, char_length(${v}) - ${sql.lit(fromEnd - 1)}, 1) in ('+', '-')`
const hasZone = (v: RawBuilder<unknown>) =>
  sql<boolean>`(right(${v}, 1) in ('z', 'Z') or ${signAt(v, 6)} or ${signAt(v, 5)})`

// Postgres refuses offsets beyond ±15:59, so these do not convert either.
function validTime(v: RawBuilder<unknown>): RawBuilder<boolean> {
  const offsetOk = (hourFromEnd: number) =>
    sql`substr(${v}, char_length(${v}) - ${sql.lit(hourFromEnd - 1)}, 2)::int <= 15
      and right(${v}, 2)::int < 60`
  return sql<boolean>`(substr(${v}, 12, 2)::int < 24 and substr(${v}, 15, 2)::int < 60
    and case when substr(${v}, 17, 1) = ':' then substr(${v}, 18, 2)::int < 60 else true end
    and case when ${signAt(v, 6)} then ${offsetOk(5)}
      when ${signAt(v, 5)} then ${offsetOk(4)} else true end)`
}

const whenMatches = (v: RawBuilder<unknown>, re: string, then: RawBuilder<boolean>) =>
  sql<boolean>`(case when ${v} ~ ${sql.lit(re)} then ${then} else false end)`

const matchesPattern = (v: RawBuilder<unknown>, pattern: string) =>
  sql<boolean>`(${v} ~ ${sql.lit(jsPattern(pattern))} and ${v} ~ ${sql.lit(pattern)})`

// True when parseValue accepts the non-blank text `v` (already trimmed where parseValue trims).
// JSON has no SQL test that cannot raise an error, so it is checked by parseValue itself.
function acceptsSql(
  type: Exclude<ColumnType, 'json'>,
  v: RawBuilder<unknown>,
  choices: readonly string[] | null,
): RawBuilder<boolean> {
  switch (type) {
    case 'text':
    case 'long_text':
      return lengthOk(v, type)
    case 'integer':
      // Only 19-digit numbers can be out of range; octet_length is free, the cast is not.
      return whenMatches(
        v,
        INTEGER_RE,
        sql`(octet_length(${v}) <= 18 or char_length(ltrim(${v}, '+-')) <= 19
          and ${v}::numeric between -9223372036854775808 and 9223372036854775807)`,
      )
    case 'decimal':
      return sql<boolean>`(${v} ~ ${sql.lit(DECIMAL_RE)})`
    case 'boolean':
      return sql<boolean>`(lower(${v}) in (${words(BOOLEAN_WORDS)}))`
    case 'date':
      return whenMatches(v, DATE_RE, validDate(v))
    case 'datetime':
      return whenMatches(v, DATETIME_RE, sql`${validDate(v)} and ${validTime(v)}`)
    case 'choice':
      return choices?.length ? sql<boolean>`(${v} in (${sql.join(choices)}))` : sql<boolean>`false`
    case 'email':
      return sql<boolean>`(${lengthOk(v, type)} and ${matchesPattern(v, EMAIL_PATTERN)})`
    case 'url':
      return matchesPattern(v, URL_PATTERN)
  }
}

// The value of the new type for text that acceptsSql (or parseValue, for JSON) let through.
function convertSql(type: ColumnType, v: RawBuilder<unknown>): RawBuilder<unknown> {
  switch (type) {
    case 'integer':
      return sql`${v}::bigint`
    case 'decimal':
      return sql`${v}::numeric`
    case 'boolean':
      return sql`(lower(${v}) in (${words(TRUE_WORDS)}))`
    case 'date':
      return sql`${v}::date`
    case 'datetime':
      return sql`(${v} || case when ${hasZone(v)} then '' else 'Z' end)::timestamptz`
    case 'json':
      return sql`${v}::jsonb`
    default:
      return sql`${v}`
  }
}

// parseValue accepts some JSON that Postgres refuses (NUL, lone surrogates) or that
// JSON.stringify would silently change (numbers too large): these do not convert.
export function storableJson(text: string | null): boolean {
  if (text === null) return true
  const storable = (value: unknown): boolean => {
    if (typeof value === 'string') return !/\0|\p{Cs}/u.test(value)
    if (typeof value === 'number') return Number.isFinite(value)
    if (Array.isArray(value)) return value.every(storable)
    if (value && typeof value === 'object') {
      return Object.entries(value).every(([key, item]) => storable(key) && storable(item))
    }
    return true
  }
  return storable(JSON.parse(text))
}
