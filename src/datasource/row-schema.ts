// Validating a row form: each column's text parsed by its type into the text Postgres will store.
import * as v from 'valibot'
import { parseValue } from './column-types.js'
import type { ColumnInfo, TableInfo } from './types.js'

// Values by column slug, as text for SQL; null stores NULL (or the column default on insert).
export type RowValues = Record<string, string | null>
// One message per column slug.
export type FieldErrors = Record<string, string>

// The key for a message about the whole row; column slugs never start with '_' (see slugify).
export const ROW_ERROR = '_row'
export const REQUIRED_MESSAGE = 'A value is required'

function fieldSchema(column: ColumnInfo) {
  return v.pipe(
    // A field missing from the form counts as blank.
    v.optional(v.string('Must be text'), ''),
    v.rawTransform(({ dataset, addIssue, NEVER }) => {
      const parsed = parseValue(column.type, dataset.value, column.choices)
      if (!parsed.ok) {
        addIssue({ message: parsed.message })
        return NEVER
      }
      if (parsed.value === null && column.required) {
        addIssue({ message: REQUIRED_MESSAGE })
        return NEVER
      }
      return parsed.value
    }),
  )
}

// Input: column slug → form text. Output: column slug → text or null. Other keys are dropped.
export function rowSchema(table: TableInfo) {
  return v.object(
    Object.fromEntries(table.columns.map((column) => [column.slug, fieldSchema(column)])),
  )
}

export type RowValidation = { ok: true; values: RowValues } | { ok: false; errors: FieldErrors }

// Checks every field, so a form can show all its mistakes at once. `input` may be any parsed body.
export function validateRow(table: TableInfo, input: unknown): RowValidation {
  const result = v.safeParse(rowSchema(table), input)
  if (result.success) return { ok: true, values: result.output as RowValues }
  const errors: FieldErrors = {}
  for (const issue of result.issues) {
    errors[v.getDotPath(issue) ?? ROW_ERROR] ??= issue.message
  }
  return { ok: false, errors }
}
