// The rules a link column's spec must meet, checked before any SQL runs, and the refusal messages.
import { describe, expect, it } from 'vitest'
import { ColumnChangeError } from './column-errors.js'
import { changedColumnShape, newColumnShape } from './column-spec.js'
import { parseTypedValue, parseValue } from './column-types.js'
import { RowLinkedError, TableLinkedError } from './links.js'
import type { ColumnInfo, ColumnSpec } from './types.js'

describe('link column specs', () => {
  it.each([
    ['no target', { link: null }, 'link'],
    ['a target of id 0 and no slug', { link: { tableId: 0, onDelete: 'clear' } }, 'link'],
    ['an unsafe id', { link: { tableId: 2 ** 60, onDelete: 'clear' } }, 'link'],
    ['an unknown behaviour', { link: { tableId: 3, onDelete: 'cascade' } }, 'link'],
    [
      'a required link that clears',
      { required: true, link: { tableId: 3, onDelete: 'clear' } },
      'required',
    ],
    ['a default', { defaultValue: '1', link: { tableId: 3, onDelete: 'refuse' } }, 'defaultValue'],
  ])('refuses %s, naming the field', (_, extra, field) => {
    const spec = { name: 'Bird', type: 'link', ...extra } as unknown as ColumnSpec
    expect(() => newColumnShape(spec)).toThrowError(ColumnChangeError)
    try {
      newColumnShape(spec)
    } catch (error) {
      expect((error as ColumnChangeError).field).toBe(field)
    }
  })

  it('keeps a target by id or by slug, and drops a link given to another type', () => {
    const byId = newColumnShape({
      name: 'B',
      type: 'link',
      link: { tableId: 3, onDelete: 'clear' },
    })
    expect(byId.link).toEqual({
      tableId: 3,
      tableSlug: undefined,
      onDelete: 'clear',
      many: false,
      displaySlug: null,
    })
    const bySlug = newColumnShape({
      name: 'B',
      type: 'link',
      required: true,
      link: { tableSlug: 'birds', onDelete: 'refuse' },
    })
    expect(bySlug.link).toEqual({
      tableId: 0,
      tableSlug: 'birds',
      onDelete: 'refuse',
      many: false,
      displaySlug: null,
    })
    const text = newColumnShape({
      name: 'B',
      type: 'text',
      link: { tableId: 3, onDelete: 'clear' },
    })
    expect(text.link).toBeNull()
  })

  it('keeps the link through a rename, and refuses making a clearing link required', () => {
    const column: ColumnInfo = {
      id: 9,
      name: 'Bird',
      slug: 'bird',
      type: 'link',
      position: 1,
      required: false,
      unique: false,
      defaultValue: null,
      choices: null,
      link: { tableId: 3, onDelete: 'clear', tableSlug: 'birds' },
    }
    expect(changedColumnShape(column, { name: 'Species' }).link).toMatchObject({ tableId: 3 })
    expect(() => changedColumnShape(column, { required: true })).toThrowError(/required link/)
  })
})

describe('refusal messages', () => {
  it('names the tables and columns that link to a table', () => {
    expect(new TableLinkedError([{ table: 'Nests', column: 'Perch' }]).message).toBe(
      'Other tables link to this one (“Perch” of “Nests”): delete those link columns first',
    )
  })

  it('names the rows that link to a row, or says only that some do', () => {
    const rows = [
      { table: 'Nests', column: 'Perch', row: 4, target: 1 },
      { table: 'Nests', column: 'Perch', row: 7, target: 1 },
      { table: 'Eggs', column: 'Perch', row: 2, target: 1 },
    ]
    expect(new RowLinkedError(rows).message).toBe(
      'Nothing was deleted: row 1 is linked from “Nests” (column “Perch”): row 4, row 7. Change or delete those links first',
    )
    expect(new RowLinkedError([]).message).toBe(
      'Nothing was deleted: other rows link to it. Change or delete those links first',
    )
  })
})

describe('link values', () => {
  it.each([
    ['7', '7'],
    [' 0042 ', '42'],
    ['0', null],
    ['-1', null],
    ['1.5', null],
    ['1'.repeat(19), null],
    ['Robin', null],
  ])('reads %j from a form as %j', (text, value) => {
    const parsed = parseValue('link', text)
    expect(parsed.ok ? parsed.value : null).toBe(value)
  })

  it.each([
    [7, '7'],
    ['8', '8'],
    [2 ** 60, null],
    [true, null],
  ])('reads %j from JSON as %j', (input, value) => {
    const parsed = parseTypedValue('link', input)
    expect(parsed.ok ? parsed.value : null).toBe(value)
  })
})
