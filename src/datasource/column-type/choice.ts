// Choice: one of the column's own choices (a CHECK constraint holds the table to them).
import { sql } from 'kysely'
import * as v from 'valibot'
import { type ColumnTypeDefinition, fail, ok } from './definition.js'
import { asIs, asText } from './sql-rules.js'

const MESSAGE = 'Must be one of the listed choices'

export const choice: ColumnTypeDefinition = {
  label: 'Choice',
  postgres: 'text',
  maxLength: null,
  trims: true,
  typeMessage: MESSAGE,
  parse: (value, rules) => (rules.choices?.includes(value) ? ok(value) : fail(MESSAGE)),
  typedStrings: 'text',
  typedSchema: v.string(),
  readSql: asText,
  toJson: (value) => value,
  sortSql: asIs,
  sortType: 'text',
  searchable: true,
  checkSql: (column, rules) =>
    sql<boolean>`${column} in (${sql.join((rules.choices ?? []).map((item) => sql.lit(item)))})`,
  checkMessage: MESSAGE,
  acceptsSql: (value, rules) =>
    rules.choices?.length
      ? sql<boolean>`(${value} in (${sql.join(rules.choices)}))`
      : sql<boolean>`false`,
  convertSql: asIs,
}
