// Why a column change was refused, in words for the person making it, beside the form field at fault.
import { COLUMN_TYPE_LABELS, type ColumnType } from './column-types.js'

export class ColumnChangeError extends Error {
  constructor(
    message: string,
    readonly field: string | null = null,
  ) {
    super(message)
  }
}

export interface ConversionSample {
  rowId: number
  value: string
}

// Some existing values cannot be read as the new type; nothing was changed.
export class ConversionError extends ColumnChangeError {
  constructor(
    readonly type: ColumnType,
    readonly failures: number,
    readonly samples: ConversionSample[],
  ) {
    const first = samples[0]
    const example = first ? `, e.g. row ${first.rowId}: “${first.value}”` : ''
    super(
      `${count(failures, 'value', 'values')} would not convert to ${COLUMN_TYPE_LABELS[type]}${example}`,
      'type',
    )
  }
}

// Existing rows break a constraint the change would add; nothing was changed.
export class ConstraintError extends ColumnChangeError {
  constructor(
    message: string,
    readonly rowIds: number[],
    field: string,
  ) {
    super(message, field)
  }
}

// How many rows a message names at most.
export const MAX_ROW_IDS = 10
const MAX_SAMPLE_CHARS = 100

export function count(n: number, one: string, many: string): string {
  return `${n.toLocaleString('en-US')} ${n === 1 ? one : many}`
}

// “row 4” or “rows 4, 9, 12”, with “…” when more rows break the rule than are listed.
export function rowList(rowIds: number[], total: number): string {
  const more = total > rowIds.length ? ', …' : ''
  return `${rowIds.length === 1 && total === 1 ? 'row' : 'rows'} ${rowIds.join(', ')}${more}`
}

// Long values are cut short so an error message stays readable.
export function shorten(value: string): string {
  return value.length > MAX_SAMPLE_CHARS ? `${value.slice(0, MAX_SAMPLE_CHARS)}…` : value
}
