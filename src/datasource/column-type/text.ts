// Text: short text, trimmed, whole in its sort index.
import * as v from 'valibot'
import { type ColumnTypeDefinition, fail, ok, tooLongMessage } from './definition.js'
import { asIs, asText, lengthOkSql } from './sql-rules.js'

// A B-tree entry must fit in about 2.7 kB: 500 UTF-16 units are at most 1,500 bytes of UTF-8.
const MAX_LENGTH = 500

export const text: ColumnTypeDefinition = {
  label: 'Text',
  postgres: 'text',
  maxLength: MAX_LENGTH,
  trims: true,
  typeMessage: 'Must be text',
  parse: (value) =>
    value.length > MAX_LENGTH
      ? fail(tooLongMessage(MAX_LENGTH, ' (use Long text for more)'))
      : ok(value),
  typedStrings: 'text',
  typedSchema: v.pipe(v.string(), v.maxLength(MAX_LENGTH)),
  readSql: asText,
  toJson: (value) => value,
  sortSql: asIs,
  sortType: 'text',
  searchable: true,
  checkSql: () => null,
  checkMessage: null,
  acceptsSql: (value) => lengthOkSql(value, MAX_LENGTH),
  convertSql: asIs,
}
