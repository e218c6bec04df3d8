// The registry of column types: one record each, in the order the type pickers list them.
// Adding a type is one file and one line here; everything keyed by ColumnType then has to cover it.
import { boolean } from './boolean.js'
import { choice } from './choice.js'
import { date } from './date.js'
import { datetime } from './datetime.js'
import { decimal } from './decimal.js'
import type { ColumnTypeDefinition } from './definition.js'
import { email } from './email.js'
import { file, image } from './file.js'
import { integer } from './integer.js'
import { json } from './json.js'
import { link } from './link.js'
import { longText } from './long-text.js'
import { text } from './text.js'
import { url } from './url.js'

export const COLUMN_TYPE_DEFINITIONS = {
  text,
  long_text: longText,
  integer,
  decimal,
  boolean,
  date,
  datetime,
  choice,
  email,
  url,
  json,
  file,
  image,
  link,
} as const satisfies Record<string, ColumnTypeDefinition>

export type ColumnType = keyof typeof COLUMN_TYPE_DEFINITIONS

export const definitionOf = (type: ColumnType): ColumnTypeDefinition =>
  COLUMN_TYPE_DEFINITIONS[type]

export type { ColumnRules, ColumnTypeDefinition, ParseResult } from './definition.js'
