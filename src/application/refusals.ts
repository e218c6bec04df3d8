// The data layer's typed refusals, turned into the application's errors (with the field at fault).
import { ColumnChangeError, ConstraintError, ConversionError } from '../datasource/columns.js'
import { ImportError } from '../datasource/import.js'
import { RowLinkedError, TableLinkedError } from '../datasource/links.js'
import { TableSettingsError } from '../datasource/table-settings.js'
import { SlugTakenError } from '../datasource/tables.js'
import { AppError, ConflictError, ForbiddenError, InvalidError } from './errors.js'
import { TableQuotaError } from './table-quota.js'

// Column-change fields, as the data layer names them, to the names the forms and the API use.
const columnField = (field: string | null) =>
  field === 'defaultValue' ? 'default' : (field ?? 'form')

export function asAppError(error: unknown): AppError | null {
  if (error instanceof AppError) return error
  if (error instanceof TableQuotaError) {
    return new ForbiddenError(error.message, { errors: { form: error.message } })
  }
  if (error instanceof SlugTakenError) {
    return new ConflictError(error.message, {
      errors: { name: `${error.message}: choose another name.` },
    })
  }
  if (error instanceof TableSettingsError) {
    return new InvalidError(error.message, { errors: { [error.field || 'name']: error.message } })
  }
  if (error instanceof ConversionError) {
    return new ConflictError(error.message, {
      errors: { type: error.message },
      details: {
        failures: error.failures,
        samples: error.samples.map(({ rowId, value }) => ({ row: rowId, value })),
      },
    })
  }
  if (error instanceof ConstraintError) {
    return new ConflictError(error.message, {
      errors: { [columnField(error.field)]: error.message },
      details: { rows: error.rowIds },
    })
  }
  if (error instanceof ColumnChangeError) {
    return new InvalidError(error.message, {
      errors: { [columnField(error.field)]: error.message },
    })
  }
  if (error instanceof TableLinkedError) {
    return new ConflictError(error.message, {
      errors: { form: error.message },
      details: { links: error.links },
    })
  }
  if (error instanceof RowLinkedError) {
    return new ConflictError(error.message, {
      errors: { form: error.message },
      details: { linkedFrom: error.rows },
    })
  }
  if (error instanceof ImportError) {
    const message = `Nothing was imported. ${error.message.charAt(0).toUpperCase()}${error.message.slice(1)}.`
    return new InvalidError(message, {
      errors: { form: message },
      details: { line: error.line, column: error.column, reason: error.reason },
    })
  }
  return null
}

// Runs a data-layer call, rethrowing its refusals as application errors.
export async function refusing<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work()
  } catch (error) {
    throw asAppError(error) ?? error
  }
}
