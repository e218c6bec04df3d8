// Email: name@example.org, at most 254 characters (so it is indexed whole).
import { sql } from 'kysely'
import * as v from 'valibot'
import { type ColumnTypeDefinition, fail, ok, tooLongMessage } from './definition.js'
import { asIs, asText, lengthOkSql, matchesPatternSql } from './sql-rules.js'

const MAX_LENGTH = 254
const MESSAGE = 'Must be a valid email address'
export const EMAIL_PATTERN = '^[^@\\s]+@[^@\\s]+\\.[^@\\s]+$'
const EMAIL_REGEXP = new RegExp(EMAIL_PATTERN)

export const email: ColumnTypeDefinition = {
  label: 'Email',
  postgres: 'text',
  maxLength: MAX_LENGTH,
  trims: true,
  typeMessage: MESSAGE,
  parse(value) {
    if (value.length > MAX_LENGTH) return fail(tooLongMessage(MAX_LENGTH))
    return EMAIL_REGEXP.test(value) ? ok(value) : fail(MESSAGE)
  },
  typedStrings: 'text',
  typedSchema: v.pipe(v.string(), v.maxLength(MAX_LENGTH), v.regex(EMAIL_REGEXP)),
  readSql: asText,
  toJson: (value) => value,
  sortSql: asIs,
  sortType: 'text',
  searchable: true,
  checkSql: (column) => sql<boolean>`${column} ~ ${sql.lit(EMAIL_PATTERN)}`,
  checkMessage: MESSAGE,
  acceptsSql: (value) =>
    sql<boolean>`(${lengthOkSql(value, MAX_LENGTH)} and ${matchesPatternSql(value, EMAIL_PATTERN)})`,
  convertSql: asIs,
}
