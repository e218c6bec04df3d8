// A table's name and description, checked the same way when it is made and when it is changed.
import * as v from 'valibot'
import { textProblem } from './column-types.js'

export const MAX_TABLE_NAME = 100
export const MAX_TABLE_DESCRIPTION = 2000

// NUL and lone surrogates never reach the database (Postgres text cannot hold them).
const storable = v.rawCheck<string>(({ dataset, addIssue }) => {
  const problem = dataset.typed ? textProblem(dataset.value) : null
  if (problem) addIssue({ message: problem })
})

export const TableNameSchema = v.pipe(
  v.string(),
  v.trim(),
  v.nonEmpty('A name is required'),
  v.maxLength(MAX_TABLE_NAME, `Must be at most ${MAX_TABLE_NAME} characters`),
  storable,
)

export const TableDescriptionSchema = v.pipe(
  v.string(),
  v.trim(),
  v.maxLength(MAX_TABLE_DESCRIPTION, 'Must be at most 2,000 characters'),
  storable,
)

export class TableSettingsError extends Error {
  constructor(
    readonly field: string,
    message: string,
  ) {
    super(message)
  }
}

// The parsed value, or TableSettingsError naming `field`.
export function checkTableText<S extends v.GenericSchema<unknown, string>>(
  schema: S,
  field: string,
  value: unknown,
): string {
  const result = v.safeParse(schema, value)
  if (!result.success) throw new TableSettingsError(field, result.issues[0].message)
  return result.output
}
