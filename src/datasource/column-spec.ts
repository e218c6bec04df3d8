// Checking what a user asked a column to be: name, type, choices and default, before any SQL runs.
import { ColumnChangeError } from './column-errors.js'
import { isFileType } from './column-type/file.js'
import { isLinkType } from './column-type/link.js'
import { type ColumnType, isColumnType, parseValue, textProblem } from './column-types.js'
import type { ColumnInfo, ColumnSpec, LinkSpec } from './types.js'

export const MAX_NAME_CHARS = 100
export const MAX_CHOICES = 50
export const MAX_CHOICE_CHARS = 100

export interface ColumnChanges {
  name?: string
  type?: ColumnType
  required?: boolean
  unique?: boolean
  defaultValue?: string | null
  choices?: string[] | null
  // A link column's display column: a slug of the target's columns, or null for the default.
  linkDisplay?: string | null
}

// What a column will be: everything a catalog row holds except its id, slug and position.
export type ColumnShape = Omit<ColumnInfo, 'id' | 'slug' | 'position'>

// Postgres text cannot hold NUL (nor UTF-8 a lone surrogate): refused here, not by the database.
export function checkName(raw: string): string {
  const name = raw.trim()
  if (name === '') throw new ColumnChangeError('Give the column a name', 'name')
  if (name.length > MAX_NAME_CHARS) {
    throw new ColumnChangeError(`A column name can be at most ${MAX_NAME_CHARS} characters`, 'name')
  }
  const problem = textProblem(name)
  if (problem) throw new ColumnChangeError(problem, 'name')
  return name
}

export function checkType(raw: unknown): ColumnType {
  if (!isColumnType(raw)) throw new ColumnChangeError('Pick a column type', 'type')
  return raw
}

// Blank lines are dropped; what is left must be 1–50 distinct, short options.
export function checkChoices(raw: readonly string[] | null | undefined): string[] {
  const choices = (raw ?? []).map((choice) => choice.trim()).filter((choice) => choice !== '')
  const refuse = (message: string): never => {
    throw new ColumnChangeError(message, 'choices')
  }
  if (choices.length === 0) refuse('Give at least one choice')
  if (choices.length > MAX_CHOICES) refuse(`A column can have at most ${MAX_CHOICES} choices`)
  for (const [index, choice] of choices.entries()) {
    if (choice.length > MAX_CHOICE_CHARS) {
      refuse(`Each choice can be at most ${MAX_CHOICE_CHARS} characters`)
    }
    const problem = textProblem(choice)
    if (problem) refuse(problem)
    if (choices.indexOf(choice) !== index) refuse(`“${choice}” is listed twice`)
  }
  return choices
}

// A default is stored in the parsed form that parseValue gives it; blank means no default.
export function checkDefault(
  type: ColumnType,
  raw: string | null | undefined,
  choices: readonly string[] | null,
): string | null {
  if (raw === null || raw === undefined) return null
  const parsed = parseValue(type, raw, choices)
  if (!parsed.ok) throw new ColumnChangeError(parsed.message, 'defaultValue')
  return parsed.value
}

// A file cell is filled by an upload after its row exists, and two rows may hold equal files.
function checkFileRules(shape: ColumnShape): ColumnShape {
  if (!isFileType(shape.type)) return shape
  if (shape.required) {
    throw new ColumnChangeError(
      'A file or image column cannot be required: a row gets its file after it is made',
      'required',
    )
  }
  if (shape.unique) {
    throw new ColumnChangeError('A file or image column cannot be unique', 'unique')
  }
  return shape
}

// A link names its target table; a cleared link must be allowed to be empty, and no row id makes
// sense as a default for every new row.
function checkLinkRules(
  shape: Omit<ColumnShape, 'link'> & { link?: LinkSpec | null },
): ColumnShape {
  if (!isLinkType(shape.type)) return { ...shape, link: null }
  const link = shape.link
  const tableId = link?.tableId ?? 0
  const byId = Number.isSafeInteger(tableId) && tableId > 0
  if (!link || !(byId || link.tableSlug)) {
    throw new ColumnChangeError('Pick the table to link to', 'link')
  }
  if (link.onDelete !== 'clear' && link.onDelete !== 'refuse') {
    throw new ColumnChangeError('Pick what deleting a linked row does: clear or refuse', 'link')
  }
  if (shape.required && link.onDelete === 'clear') {
    throw new ColumnChangeError(
      'A required link cannot be cleared when its row is deleted: choose “refuse”, or make it optional',
      'required',
    )
  }
  if (shape.defaultValue !== null) {
    throw new ColumnChangeError('A link column has no default value', 'defaultValue')
  }
  if (link.many && (shape.required || shape.unique)) {
    throw new ColumnChangeError(
      'A column of several links cannot be required or unique',
      shape.required ? 'required' : 'unique',
    )
  }
  // An id of 0 is looked up by slug when the column is made (lockLinkTarget).
  return {
    ...shape,
    link: {
      tableId: byId ? tableId : 0,
      tableSlug: link.tableSlug,
      onDelete: link.onDelete,
      many: link.many === true,
      displaySlug: link.displaySlug ?? null,
    },
  }
}

export function newColumnShape(spec: ColumnSpec): ColumnShape {
  const name = checkName(spec.name)
  const type = checkType(spec.type)
  const choices = type === 'choice' ? checkChoices(spec.choices) : null
  return checkFileRules(
    checkLinkRules({
      name,
      type,
      required: spec.required ?? false,
      unique: spec.unique ?? false,
      defaultValue: checkDefault(type, spec.defaultValue, choices),
      choices,
      link: spec.link ?? null,
    }),
  )
}

// The column after `changes`; an unchanged default is re-checked against a new type or choices.
export function changedColumnShape(column: ColumnInfo, changes: ColumnChanges): ColumnShape {
  const type = changes.type === undefined ? column.type : checkType(changes.type)
  if (type !== column.type && (isFileType(type) || isFileType(column.type))) {
    throw new ColumnChangeError(
      'File and image columns cannot change type, nor other columns become one: add a new column instead',
      'type',
    )
  }
  if (type !== column.type && (isLinkType(type) || isLinkType(column.type))) {
    throw new ColumnChangeError(
      'Link columns cannot change type, nor other columns become one: add a new column instead',
      'type',
    )
  }
  const choices =
    type !== 'choice'
      ? null
      : changes.choices !== undefined || column.type !== 'choice'
        ? checkChoices(changes.choices)
        : column.choices
  return checkFileRules(
    checkLinkRules({
      link: column.link ?? null,
      name: changes.name === undefined ? column.name : checkName(changes.name),
      type,
      required: changes.required ?? column.required,
      unique: changes.unique ?? column.unique,
      defaultValue: checkDefault(
        type,
        changes.defaultValue === undefined ? column.defaultValue : changes.defaultValue,
        choices,
      ),
      choices,
    }),
  )
}
