import * as v from 'valibot'
import { describe, expect, it } from 'vitest'
import type { ColumnType } from './column-types.js'
import { rowSchema, validateRow } from './row-schema.js'
import type { ColumnInfo, TableInfo } from './types.js'

let nextId = 1
function column(type: ColumnType, options: Partial<ColumnInfo> = {}): ColumnInfo {
  const id = nextId++
  return {
    id,
    name: type,
    slug: type,
    type,
    position: id,
    required: false,
    unique: false,
    defaultValue: null,
    choices: type === 'choice' ? ['Red', 'Green'] : null,
    ...options,
  }
}

function tableOf(columns: ColumnInfo[]): TableInfo {
  return {
    id: 1,
    owner: { id: 1, username: 'ada', name: null, avatarUrl: null },
    name: 'Things',
    slug: 'things',
    description: '',
    isPublic: true,
    rowCount: 0,
    createdAt: new Date(),
    updatedAt: new Date(),
    columns,
  }
}

const everyType = tableOf([
  column('text'),
  column('long_text'),
  column('integer'),
  column('decimal'),
  column('boolean'),
  column('date'),
  column('datetime'),
  column('choice'),
  column('email'),
  column('url'),
  column('json'),
])

describe('validateRow', () => {
  it.each([
    ['text', 'x'.repeat(501), 'Must be at most 500 characters (use Long text for more)'],
    ['long_text', ' '.repeat(1_000_001).concat('x'), 'Must be at most 1,000,000 characters'],
    ['integer', '1.5', 'Must be a whole number'],
    ['integer', '9223372036854775808', 'Must be a whole number'],
    ['decimal', '1,5', 'Must be a number'],
    ['boolean', 'maybe', 'Must be yes or no'],
    ['date', '2017-02-30', 'Must be a date like 2017-06-08'],
    ['datetime', '2017-06-08 25:00', 'Must be a date and time like 2017-06-08 22:00'],
    ['choice', 'Blue', 'Must be one of the listed choices'],
    ['email', 'ada@example', 'Must be a valid email address'],
    ['url', 'ftp://example.com', 'Must be a web address starting with http:// or https://'],
    ['json', '{"a":', 'Must be valid JSON (unexpected end at character 6)'],
  ])('refuses a bad %s value', (slug, value, message) => {
    expect(validateRow(everyType, { [slug]: value })).toEqual({
      ok: false,
      errors: { [slug]: message },
    })
  })

  it('parses each type into the text Postgres stores, and blanks into null', () => {
    const input = {
      text: '  Ada  ',
      long_text: '  keeps\nits spaces ',
      integer: '+0042',
      decimal: '3.50',
      boolean: 'Yes',
      date: '2017-06-08',
      datetime: '2017-06-08 22:00',
      choice: 'Green',
      email: 'ada@example.com',
      url: 'https://example.com/',
      json: '{ "a": [1, 2] }',
    }
    expect(validateRow(everyType, input)).toEqual({
      ok: true,
      values: {
        ...input,
        text: 'Ada',
        integer: '42',
        boolean: 'true',
        datetime: '2017-06-08 22:00Z',
      },
    })
    const blanks = Object.fromEntries(everyType.columns.map((c) => [c.slug, null]))
    expect(validateRow(everyType, { text: ' ' })).toEqual({ ok: true, values: blanks })
  })

  it('collects an error for every bad field, not just the first', () => {
    const table = tableOf([
      column('text', { slug: 'name', required: true }),
      column('integer', { slug: 'age' }),
      column('email', { slug: 'email' }),
    ])
    expect(validateRow(table, { name: '  ', age: 'old', email: 'nope', extra: 'ignored' })).toEqual(
      {
        ok: false,
        errors: {
          name: 'A value is required',
          age: 'Must be a whole number',
          email: 'Must be a valid email address',
        },
      },
    )
  })

  it('treats a missing required field as blank', () => {
    const table = tableOf([column('boolean', { slug: 'done', required: true })])
    expect(validateRow(table, {})).toEqual({ ok: false, errors: { done: 'A value is required' } })
    expect(validateRow(table, { done: 'no' })).toEqual({ ok: true, values: { done: 'false' } })
  })

  it('refuses a body that is not an object', () => {
    const table = tableOf([column('integer', { slug: 'votes' })])
    for (const body of ['votes=5', [{ votes: '5' }], null]) {
      expect(validateRow(table, body)).toEqual({
        ok: false,
        errors: { _row: 'Must be an object of column values' },
      })
    }
  })
})

describe('rowSchema', () => {
  it('is a valibot schema whose output is ready for SQL', () => {
    const table = tableOf([column('integer', { slug: 'votes' }), column('date', { slug: 'day' })])
    expect(v.parse(rowSchema(table), { votes: '7' })).toEqual({ votes: '7', day: null })
    expect(() => v.parse(rowSchema(table), { votes: 'x' })).toThrow('Must be a whole number')
  })
})
