// Yes / no: a boolean, typed as one of a few words in any case.
import { sql } from 'kysely'
import * as v from 'valibot'
import { type ColumnTypeDefinition, fail, ok } from './definition.js'
import { asIs, asText, words } from './sql-rules.js'

const MESSAGE = 'Must be yes or no'
const TRUE_WORDS = ['true', 't', 'yes', 'y', 'on', '1']
const FALSE_WORDS = ['false', 'f', 'no', 'n', 'off', '0']
const WORDS: ReadonlyMap<string, string> = new Map([
  ...TRUE_WORDS.map((word) => [word, 'true'] as const),
  ...FALSE_WORDS.map((word) => [word, 'false'] as const),
])

export const boolean: ColumnTypeDefinition = {
  label: 'Yes / no',
  postgres: 'boolean',
  maxLength: null,
  trims: true,
  typeMessage: MESSAGE,
  parse(value) {
    const word = WORDS.get(value.toLowerCase())
    return word ? ok(word) : fail(MESSAGE)
  },
  parseTyped: (value) => (typeof value === 'boolean' ? ok(String(value)) : fail(MESSAGE)),
  typedStrings: 'text',
  typedSchema: v.union([v.boolean(), v.picklist([...WORDS.keys()])]),
  readSql: asText,
  toJson: (value) => value === 'true',
  sortSql: asIs,
  sortType: 'boolean',
  searchable: false,
  checkSql: () => null,
  checkMessage: null,
  acceptsSql: (value) => sql<boolean>`(lower(${value}) in (${words([...WORDS.keys()])}))`,
  convertSql: (value) => sql`(lower(${value}) in (${words(TRUE_WORDS)}))`,
}
