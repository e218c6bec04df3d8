// Validating a row: each column's value (form text or typed JSON) parsed by its type into the text
// Postgres will store, with a message per field at fault.
import * as v from 'valibot'
import { isFileType } from './column-type/file.js'
import { isLinkList } from './column-type/link.js'
import { parseTypedValue, parseValue } from './column-types.js'
import { parseLinkList } from './link-lists.js'
import type { ColumnInfo, TableInfo } from './types.js'

// Values by column slug, as text for SQL; null stores NULL (or the column default on insert).
export type RowValues = Record<string, string | null>
// One message per column slug.
export type FieldErrors = Record<string, string>

// The key for a message about the whole row; column slugs never start with '_' (see slugify).
export const ROW_ERROR = '_row'
export const REQUIRED_MESSAGE = 'A value is required'
export const UNKNOWN_COLUMN_MESSAGE = 'No such column'
const NOT_AN_OBJECT = 'Must be an object of column values'

export interface RowInputOptions {
  // 'form' (the HTML forms): strings are form text; a missing field is blank, other fields are
  // ignored. 'typed' (the API): JSON values, where a string in a JSON column is a JSON string;
  // a missing field is null, and a field that names no column is an error.
  input?: 'form' | 'typed'
  // Only the fields given are checked and returned (a PATCH); otherwise every column is.
  partial?: boolean
  // A new row: in typed input, a null or missing value takes the column default if it has one.
  insert?: boolean
}

function fieldSchema(column: ColumnInfo, options: RowInputOptions) {
  const typed = options.input === 'typed'
  const defaulted = typed && options.insert === true && column.defaultValue !== null
  const field = v.pipe(
    v.unknown(),
    v.rawTransform(({ dataset, addIssue, NEVER }) => {
      const { value } = dataset
      const parsed = isLinkList(column)
        ? parseLinkList(value, typed)
        : typeof value === 'string' && !typed
          ? parseValue(column.type, value, column.choices)
          : parseTypedValue(column.type, value, column.choices)
      if (!parsed.ok) {
        addIssue({ message: parsed.message })
        return NEVER
      }
      if (parsed.value === null && column.required && !defaulted) {
        addIssue({ message: REQUIRED_MESSAGE })
        return NEVER
      }
      return parsed.value
    }),
  )
  // A file cell changes only when named (it is filled by an upload): missing from an update, kept.
  if (options.partial || (isFileType(column.type) && !options.insert)) return v.optional(field)
  // A field missing from a form counts as blank; missing from typed JSON, as null.
  return v.optional(field, typed ? null : '')
}

// Input: column slug → value. Output: column slug → text or null.
export function rowSchema(table: TableInfo, options: RowInputOptions = {}) {
  return v.object(
    Object.fromEntries(table.columns.map((column) => [column.slug, fieldSchema(column, options)])),
    NOT_AN_OBJECT,
  )
}

export type RowValidation = { ok: true; values: RowValues } | { ok: false; errors: FieldErrors }

// Checks every field, so a form can show all its mistakes at once. `input` may be any parsed body.
export function validateRow(
  table: TableInfo,
  input: unknown,
  options: RowInputOptions = {},
  schema = rowSchema(table, options),
): RowValidation {
  if (Array.isArray(input)) return { ok: false, errors: { [ROW_ERROR]: NOT_AN_OBJECT } }
  const result = v.safeParse(schema, input)
  const errors: FieldErrors = {}
  if (options.input === 'typed' && input && typeof input === 'object') {
    const slugs = new Set(table.columns.map((column) => column.slug))
    for (const key of Object.keys(input)) {
      if (!slugs.has(key)) errors[key] = UNKNOWN_COLUMN_MESSAGE
    }
  }
  for (const issue of result.issues ?? []) {
    errors[v.getDotPath(issue) ?? ROW_ERROR] ??= issue.message
  }
  if (result.success && Object.keys(errors).length === 0) {
    return { ok: true, values: result.output as RowValues }
  }
  return { ok: false, errors }
}
