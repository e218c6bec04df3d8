// Long text: kept exactly as typed, up to a million characters; sorted by its first characters.
import * as v from 'valibot'
import { type ColumnTypeDefinition, fail, ok, tooLongMessage } from './definition.js'
import { asIs, asText, lengthOkSql, sortPrefixSql } from './sql-rules.js'

const MAX_LENGTH = 1_000_000

export const longText: ColumnTypeDefinition = {
  label: 'Long text',
  postgres: 'text',
  maxLength: MAX_LENGTH,
  trims: false,
  typeMessage: 'Must be text',
  parse: (value) => (value.length > MAX_LENGTH ? fail(tooLongMessage(MAX_LENGTH)) : ok(value)),
  typedStrings: 'text',
  typedSchema: v.pipe(v.string(), v.maxLength(MAX_LENGTH)),
  readSql: asText,
  toJson: (value) => value,
  sortSql: sortPrefixSql,
  sortType: 'text',
  searchable: true,
  checkSql: () => null,
  checkMessage: null,
  acceptsSql: (value) => lengthOkSql(value, MAX_LENGTH),
  convertSql: asIs,
}
