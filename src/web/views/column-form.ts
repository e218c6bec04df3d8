// The column form: reading it, and the view model for the columns page.
import * as v from 'valibot'
import { COLUMN_TYPE_LABELS, COLUMN_TYPES, type ColumnType } from '../../datasource/column-types.js'
import type { ColumnInfo, LinkOnDelete } from '../../datasource/types.js'
import { storableText } from '../forms.js'

export const ColumnFormSchema = v.object({
  name: v.pipe(
    v.optional(v.string(), ''),
    v.trim(),
    v.nonEmpty('A name is required'),
    v.maxLength(100, 'A name must be at most 100 characters'),
    storableText('A name'),
  ),
  type: v.picklist(COLUMN_TYPES, 'Choose a type'),
  required: v.optional(v.string()),
  unique: v.optional(v.string()),
  default_value: v.optional(v.string(), ''),
  choices: v.optional(v.string(), ''),
  // Link columns: the slug of the owner's table to link to, and what deleting a linked row does.
  link_table: v.optional(v.string(), ''),
  link_on_delete: v.optional(v.string(), ''),
  // 'many': several links per row (a junction table); anything else: one.
  link_count: v.optional(v.string(), ''),
  // The edit form of a link column: the slug of the target's column to show ('' for the default).
  link_display: v.optional(v.string(), ''),
})

export type ColumnForm = {
  name: string
  type: string
  required: boolean
  unique: boolean
  default_value: string
  choices: string
  link_table: string
  link_on_delete: string
  link_count: string
  link_display: string
}

export const blankColumnForm: ColumnForm = {
  name: '',
  type: 'text',
  required: false,
  unique: false,
  default_value: '',
  choices: '',
  link_table: '',
  link_on_delete: 'refuse',
  link_count: 'one',
  link_display: '',
}

export function columnForm(column: ColumnInfo): ColumnForm {
  return {
    name: column.name,
    type: column.type,
    required: column.required,
    unique: column.unique,
    default_value: column.defaultValue ?? '',
    choices: (column.choices ?? []).join('\n'),
    link_table: column.link?.tableSlug ?? '',
    link_on_delete: column.link?.onDelete ?? 'refuse',
    link_count: column.link?.many ? 'many' : 'one',
    link_display: column.link?.displaySlug ?? '',
  }
}

export function formFromFields(fields: Record<string, string>): ColumnForm {
  return {
    name: fields.name ?? '',
    type: fields.type ?? 'text',
    required: fields.required !== undefined,
    unique: fields.unique !== undefined,
    default_value: fields.default_value ?? '',
    choices: fields.choices ?? '',
    link_table: fields.link_table ?? '',
    link_on_delete: fields.link_on_delete ?? 'refuse',
    link_count: fields.link_count === 'many' ? 'many' : 'one',
    link_display: fields.link_display ?? '',
  }
}

// One option per line; blank lines ignored.
export const parseChoices = (text: string) =>
  text
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter(Boolean)

export function columnSpec(value: v.InferOutput<typeof ColumnFormSchema>) {
  return {
    name: value.name,
    type: value.type as ColumnType,
    required: value.required !== undefined,
    unique: value.unique !== undefined,
    defaultValue: value.default_value.trim() === '' ? null : value.default_value,
    choices: value.type === 'choice' ? parseChoices(value.choices) : null,
    link:
      value.type === 'link'
        ? {
            tableSlug: value.link_table,
            onDelete: (value.link_on_delete === 'clear' ? 'clear' : 'refuse') as LinkOnDelete,
            many: value.link_count === 'many',
            displaySlug: value.link_display || null,
          }
        : null,
    // Changes only a link column's (its edit form has the field).
    linkDisplay: value.type === 'link' ? value.link_display || null : undefined,
  }
}

export const typeOptions = COLUMN_TYPES.map((type) => ({
  value: type,
  label: COLUMN_TYPE_LABELS[type],
}))
