// Date: a real calendar date, written 2017-06-08.
import { sql } from 'kysely'
import * as v from 'valibot'
import { isValidDate } from './calendar.js'
import { type ColumnTypeDefinition, fail, ok } from './definition.js'
import { asIs, asText, validDateSql, whenMatches } from './sql-rules.js'

const MESSAGE = 'Must be a date like 2017-06-08'
const DATE_RE = '^[0-9]{4}-[0-9]{2}-[0-9]{2}$'

export const date: ColumnTypeDefinition = {
  label: 'Date',
  postgres: 'date',
  maxLength: null,
  trims: true,
  typeMessage: MESSAGE,
  parse(value) {
    const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value)
    return match && isValidDate(Number(match[1]), Number(match[2]), Number(match[3]))
      ? ok(value)
      : fail(MESSAGE)
  },
  typedStrings: 'text',
  typedSchema: v.pipe(v.string(), v.isoDate()),
  readSql: asText,
  toJson: (value) => value,
  sortSql: asIs,
  sortType: 'date',
  searchable: false,
  checkSql: () => null,
  checkMessage: null,
  acceptsSql: (value) => whenMatches(value, DATE_RE, validDateSql(value)),
  convertSql: (value) => sql`${value}::date`,
}
