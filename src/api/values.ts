// API input values as the text a column type parses: numbers exactly as sent, JSON re-serialised exactly.
import { isLosslessNumber, stringify } from 'lossless-json'
import type { ColumnType } from '../datasource/column-types.js'

export type InputText = { ok: true; text: string | null } | { ok: false; message: string }

const TYPE_WORDS: Partial<Record<ColumnType, string>> = {
  integer: 'a whole number',
  decimal: 'a number',
  boolean: 'true or false',
}

// null is null for every type; JSON columns take any JSON; the rest take their scalar forms.
export function inputText(type: ColumnType, value: unknown): InputText {
  if (value === null || value === undefined) return { ok: true, text: null }
  if (type === 'json') return { ok: true, text: stringify(value) ?? 'null' }
  if (isLosslessNumber(value)) {
    return type === 'integer' || type === 'decimal'
      ? { ok: true, text: value.toString() }
      : { ok: false, message: `Must be ${TYPE_WORDS[type] ?? 'a string'}, not a number` }
  }
  if (typeof value === 'boolean') {
    return type === 'boolean'
      ? { ok: true, text: String(value) }
      : { ok: false, message: `Must be ${TYPE_WORDS[type] ?? 'a string'}, not true or false` }
  }
  if (typeof value === 'string') {
    // Strings stand in for numbers beyond what JSON readers handle exactly, and for dates.
    return type === 'boolean'
      ? { ok: false, message: 'Must be true or false' }
      : { ok: true, text: value }
  }
  return { ok: false, message: `Must be ${TYPE_WORDS[type] ?? 'a string'}` }
}
