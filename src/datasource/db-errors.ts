// Postgres refusals of a row write, turned into messages on the form fields that caused them.
import * as v from 'valibot'
import { definitionOf } from './column-types.js'
import { objectName, physicalColumnName } from './names.js'
import { type FieldErrors, REQUIRED_MESSAGE, ROW_ERROR, type RowValues } from './row-schema.js'
import type { ColumnInfo, TableInfo } from './types.js'

export const UNIQUE_MESSAGE = 'Already used by another row'
export const LINK_MESSAGE = 'No row of the linked table has this id'

// Both pg's DatabaseError and PGlite's carry these fields.
const DbErrorSchema = v.object({
  code: v.string(),
  message: v.string(),
  constraint: v.optional(v.string()),
  column: v.optional(v.string()),
})

type DbError = v.InferOutput<typeof DbErrorSchema>

// Data exceptions (class 22) that values accepted by parseValue can still meet in Postgres.
const DATA_MESSAGES: Record<string, string> = {
  '22P02': 'Is not a valid value for this column',
  '22003': 'Is too large or too small for this column',
  '22007': 'Is not a valid date or time',
  '22008': 'Is outside the range of dates and times',
  '22009': 'Has a time zone offset out of range',
  '22021': 'Contains a character that cannot be stored',
  '22P05': 'Contains a character that cannot be stored',
}

// Constraint violations name the column: by its physical name, or by the constraint's name.
function violatedColumn(table: TableInfo, error: DbError): ColumnInfo | undefined {
  if (error.code === '23502') {
    return table.columns.find((column) => physicalColumnName(column.id) === error.column)
  }
  const kind = error.code === '23505' ? 'key' : error.code === '23503' ? 'link' : 'check'
  return table.columns.find((column) => objectName(kind, table.id, column.id) === error.constraint)
}

// A CHECK constraint only guards types that parseValue also checks, in the same words.
const typeMessage = (column: ColumnInfo) =>
  definitionOf(column.type).checkMessage ?? 'Is not allowed in this column'

// Data exceptions do not name the column: find the value Postgres quotes, or one it cannot hold.
function suspectColumn(table: TableInfo, values: RowValues, error: DbError): ColumnInfo | null {
  const suspect = table.columns.find((column) => {
    const value = values[column.slug]
    if (!value) return false
    const unstorable = value.includes('\u0000') || value.includes('\\u0000')
    return unstorable || error.message.includes(`"${value}"`)
  })
  return suspect ?? null
}

// Field messages for a failed write of `values`; errors that are not the user's doing are rethrown.
export function mapWriteError(error: unknown, table: TableInfo, values: RowValues): FieldErrors {
  const parsed = v.safeParse(DbErrorSchema, error)
  if (!parsed.success) throw error
  const dbError = parsed.output
  const code = dbError.code
  if (code === '23505' || code === '23514' || code === '23502' || code === '23503') {
    const column = violatedColumn(table, dbError)
    if (!column) throw error
    const message =
      code === '23505'
        ? UNIQUE_MESSAGE
        : code === '23502'
          ? REQUIRED_MESSAGE
          : code === '23503'
            ? LINK_MESSAGE
            : typeMessage(column)
    return { [column.slug]: message }
  }
  const message = DATA_MESSAGES[code]
  if (!message) throw error
  return { [suspectColumn(table, values, dbError)?.slug ?? ROW_ERROR]: message }
}
