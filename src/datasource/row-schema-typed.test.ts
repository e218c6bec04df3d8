import { describe, expect, it } from 'vitest'
import { RawJson } from './raw-json.js'
import { validateRow } from './row-schema.js'
import type { ColumnInfo, TableInfo } from './types.js'

const specs: Pick<ColumnInfo, 'name' | 'slug' | 'type' | 'required' | 'defaultValue'>[] = [
  { name: 'Name', slug: 'name', type: 'text', required: true, defaultValue: null },
  { name: 'Votes', slug: 'votes', type: 'integer', required: true, defaultValue: '0' },
  { name: 'Share', slug: 'share', type: 'decimal', required: false, defaultValue: null },
  { name: 'Won', slug: 'won', type: 'boolean', required: false, defaultValue: null },
  { name: 'Data', slug: 'data', type: 'json', required: false, defaultValue: null },
]
const columns: ColumnInfo[] = specs.map((column, index) => ({
  ...column,
  id: index + 1,
  position: index + 1,
  unique: false,
  choices: null,
}))

const table: TableInfo = {
  id: 1,
  owner: { id: 1, username: 'ada', name: null, avatarUrl: null },
  name: 'Results',
  slug: 'results',
  description: '',
  isPublic: true,
  rowCount: 0,
  createdAt: new Date(),
  updatedAt: new Date(),
  columns,
}

const typed = { input: 'typed' } as const

describe('validateRow with typed JSON', () => {
  it('takes numbers, booleans, strings and JSON values, each as its type wants', () => {
    const input = {
      name: 'Ada',
      votes: new RawJson('9223372036854775807'),
      share: 0.25,
      won: true,
      data: { tags: ['a'], n: new RawJson('1e309') },
    }
    expect(validateRow(table, input, typed)).toEqual({
      ok: true,
      values: {
        name: 'Ada',
        votes: '9223372036854775807',
        share: '0.25',
        won: 'true',
        data: '{"tags":["a"],"n":1e309}',
      },
    })
  })

  it('reads a string in a JSON column as a JSON string, and in a form as JSON text', () => {
    const typedRow = validateRow(table, { name: 'A', votes: 1, data: '[1]' }, typed)
    const formRow = validateRow(table, { name: 'A', votes: '1', data: '[1]' })
    expect(typedRow.ok && typedRow.values.data).toBe('"[1]"')
    expect(formRow.ok && formRow.values.data).toBe('[1]')
  })

  it('says, per field, what kind of value each column wants', () => {
    const input = { name: 7, votes: 1.5, share: 'lots', won: 'maybe', data: () => 1 }
    expect(validateRow(table, input, typed)).toEqual({
      ok: false,
      errors: {
        name: 'Must be text',
        votes: 'Must be a whole number',
        share: 'Must be a number',
        won: 'Must be yes or no',
        data: 'Must be a JSON value',
      },
    })
  })

  it('names fields that are no column, and refuses what is not an object', () => {
    expect(validateRow(table, { name: 'A', votes: 1, id: 3, colour: 'red' }, typed)).toEqual({
      ok: false,
      errors: { id: 'No such column', colour: 'No such column' },
    })
    expect(validateRow(table, [{ name: 'A' }], typed)).toEqual({
      ok: false,
      errors: { _row: 'Must be an object of column values' },
    })
  })

  it('on insert, leaves a missing or null value to its default, and requires the rest', () => {
    const insert = { ...typed, insert: true }
    expect(validateRow(table, { name: 'A', votes: null }, insert)).toEqual({
      ok: true,
      values: { name: 'A', votes: null, share: null, won: null, data: null },
    })
    expect(validateRow(table, {}, insert)).toEqual({
      ok: false,
      errors: { name: 'A value is required' },
    })
  })

  it('outside an insert, requires a value even where there is a default', () => {
    expect(validateRow(table, { name: 'A', votes: null }, typed)).toEqual({
      ok: false,
      errors: { votes: 'A value is required' },
    })
  })
})

describe('validateRow, partial', () => {
  it('checks and returns only the fields given', () => {
    const partial = { ...typed, partial: true }
    expect(validateRow(table, {}, partial)).toEqual({ ok: true, values: {} })
    expect(validateRow(table, { won: false, share: null }, partial)).toEqual({
      ok: true,
      values: { won: 'false', share: null },
    })
    expect(validateRow(table, { name: null, votes: 'x' }, partial)).toEqual({
      ok: false,
      errors: { name: 'A value is required', votes: 'Must be a whole number' },
    })
  })

  it('works for form text too', () => {
    expect(validateRow(table, { votes: ' 12 ' }, { partial: true })).toEqual({
      ok: true,
      values: { votes: '12' },
    })
  })
})
