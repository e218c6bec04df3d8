// URL: a web address starting with http:// or https://, at most 2,048 characters.
import { sql } from 'kysely'
import * as v from 'valibot'
import { type ColumnTypeDefinition, fail, ok, tooLongMessage } from './definition.js'
import { asIs, asText, lengthOkSql, matchesPatternSql, sortPrefixSql } from './sql-rules.js'

// What browsers and servers commonly handle; longer addresses are rarely real ones.
const MAX_LENGTH = 2048
const MESSAGE = 'Must be a web address starting with http:// or https://'
export const URL_PATTERN = '^https?://[^\\s/$.?#][^\\s]*$'
const URL_REGEXP = new RegExp(URL_PATTERN)

export const url: ColumnTypeDefinition = {
  label: 'URL',
  postgres: 'text',
  maxLength: MAX_LENGTH,
  trims: true,
  typeMessage: MESSAGE,
  parse(value) {
    if (value.length > MAX_LENGTH) return fail(tooLongMessage(MAX_LENGTH))
    return URL_REGEXP.test(value) ? ok(value) : fail(MESSAGE)
  },
  typedStrings: 'text',
  typedSchema: v.pipe(v.string(), v.maxLength(MAX_LENGTH), v.regex(URL_REGEXP)),
  readSql: asText,
  toJson: (value) => value,
  sortSql: sortPrefixSql,
  sortType: 'text',
  searchable: true,
  checkSql: (column) => sql<boolean>`${column} ~ ${sql.lit(URL_PATTERN)}`,
  checkMessage: MESSAGE,
  acceptsSql: (value) =>
    sql<boolean>`(${lengthOkSql(value, MAX_LENGTH)} and ${matchesPatternSql(value, URL_PATTERN)})`,
  convertSql: asIs,
}
