// Date and time: a timestamptz, typed with an optional offset (UTC without one), shown in UTC.
import { type RawBuilder, sql } from 'kysely'
import * as v from 'valibot'
import { isValidDate } from './calendar.js'
import { type ColumnTypeDefinition, fail, ok } from './definition.js'
import { asIs, validDateSql, whenMatches } from './sql-rules.js'

const MESSAGE = 'Must be a date and time like 2017-06-08 22:00'
const DATETIME_PATTERN =
  /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(:\d{2}(\.\d{1,6})?)?(Z|[+-]\d{2}:?\d{2})?$/i
// The pattern above is case-insensitive: T or t, Z or z.
const DATETIME_RE =
  '^[0-9]{4}-[0-9]{2}-[0-9]{2}[Tt ][0-9]{2}:[0-9]{2}(:[0-9]{2}([.][0-9]{1,6})?)?([Zz]|[+-][0-9]{2}:?[0-9]{2})?$'

function parse(value: string) {
  const match = DATETIME_PATTERN.exec(value)
  const valid =
    match &&
    isValidDate(Number(match[1]), Number(match[2]), Number(match[3])) &&
    Number(match[4]) < 24 &&
    Number(match[5]) < 60 &&
    (!match[6] || Number(match[6].slice(1, 3)) < 60) &&
    // Postgres refuses offsets beyond ±15:59.
    (!match[8] ||
      /^z$/i.test(match[8]) ||
      (Number(match[8].slice(1, 3)) <= 15 && Number(match[8].slice(-2)) < 60))
  return valid ? ok(match[8] ? value : `${value}Z`) : fail(MESSAGE)
}

// In text that matched DATETIME_RE, a sign can only be the 5th or 6th character from the end: ±hhmm or ±hh:mm.
const signAt = (v: RawBuilder<unknown>, fromEnd: number) =>
  sql<boolean>`substr(${v}, char_length(${v}) - ${sql.lit(fromEnd - 1)}, 1) in ('+', '-')`
const hasZone = (v: RawBuilder<unknown>) =>
  sql<boolean>`(right(${v}, 1) in ('z', 'Z') or ${signAt(v, 6)} or ${signAt(v, 5)})`

function validTimeSql(v: RawBuilder<unknown>): RawBuilder<boolean> {
  const offsetOk = (hourFromEnd: number) =>
    sql`substr(${v}, char_length(${v}) - ${sql.lit(hourFromEnd - 1)}, 2)::int <= 15
      and right(${v}, 2)::int < 60`
  return sql<boolean>`(substr(${v}, 12, 2)::int < 24 and substr(${v}, 15, 2)::int < 60
    and case when substr(${v}, 17, 1) = ':' then substr(${v}, 18, 2)::int < 60 else true end
    and case when ${signAt(v, 6)} then ${offsetOk(5)}
      when ${signAt(v, 5)} then ${offsetOk(4)} else true end)`
}

export const datetime: ColumnTypeDefinition = {
  label: 'Date and time',
  postgres: 'timestamptz',
  maxLength: null,
  trims: true,
  typeMessage: MESSAGE,
  parse,
  typedStrings: 'text',
  typedSchema: v.pipe(v.string(), v.regex(DATETIME_PATTERN)),
  readSql: (column) =>
    sql<string>`to_char(${column} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"')`,
  toJson: (value) => value,
  sortSql: asIs,
  sortType: 'timestamptz',
  searchable: false,
  checkSql: () => null,
  checkMessage: null,
  acceptsSql: (value) =>
    whenMatches(value, DATETIME_RE, sql`${validDateSql(value)} and ${validTimeSql(value)}`),
  convertSql: (value) =>
    sql`(${value} || case when ${hasZone(value)} then '' else 'Z' end)::timestamptz`,
}
