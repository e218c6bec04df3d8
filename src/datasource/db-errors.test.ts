import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Database } from '../db/database.js'
import { createTestDatabase } from '../test/database.js'
import { mapWriteError } from './db-errors.js'
import { objectName } from './names.js'
import { writeRow } from './row-writes.js'
import { createTable } from './tables.js'
import type { TableInfo } from './types.js'

let database: Database
let table: TableInfo
beforeAll(async () => {
  database = await createTestDatabase()
  const user = await database.db
    .insertInto('users')
    .values({ username: 'ada', github_id: null })
    .returning('id')
    .executeTakeFirstOrThrow()
  table = await createTable(database.db, {
    ownerId: user.id,
    name: 'Everything',
    columns: [
      { name: 'Code', type: 'text', required: true, unique: true },
      { name: 'Count', type: 'integer' },
      { name: 'Price', type: 'decimal' },
      { name: 'Day', type: 'date' },
      { name: 'At', type: 'datetime' },
      { name: 'Colour', type: 'choice', choices: ['Red', 'Green'] },
      { name: 'Email', type: 'email' },
      { name: 'Site', type: 'url' },
      { name: 'Data', type: 'json' },
    ],
  })
  await writeRow(database.db, table, { code: 'A1' })
})
afterAll(() => database.close())

// writeRow skips validation and the unique pre-check, so these values reach Postgres as they are.
describe('Postgres refusals of a write, on this driver', () => {
  it.each([
    ['a unique violation', { code: 'A1' }, { code: 'Already used by another row' }],
    ['a not-null violation', { code: null }, { code: 'A value is required' }],
    ['a bad email', { email: 'nope' }, { email: 'Must be a valid email address' }],
    [
      'a bad web address',
      { site: 'ftp://x.org' },
      { site: 'Must be a web address starting with http:// or https://' },
    ],
    ['a choice not listed', { colour: 'Blue' }, { colour: 'Must be one of the listed choices' }],
    [
      'text for a number (22P02)',
      { count: 'ten' },
      { count: 'Is not a valid value for this column' },
    ],
    [
      'a number out of range (22003)',
      { count: '99999999999999999999' },
      { count: 'Is too large or too small for this column' },
    ],
    ['text for a date (22007)', { day: 'soon' }, { day: 'Is not a valid date or time' }],
    [
      'a date that does not exist (22008)',
      { day: '2017-02-30' },
      { day: 'Is outside the range of dates and times' },
    ],
    [
      'a time zone out of range (22009)',
      { at: '2017-06-08 22:00+99:99' },
      { at: 'Has a time zone offset out of range' },
    ],
    [
      'a NUL character in text (22021)',
      { email: 'a\u0000@b.c' },
      { email: 'Contains a character that cannot be stored' },
    ],
    [
      'a NUL character in JSON (22P05)',
      { data: '"\\u0000"' },
      { data: 'Contains a character that cannot be stored' },
    ],
    [
      'a number too big for any column (22003, unquoted)',
      { price: '9'.repeat(140_000) },
      { _row: 'Is too large or too small for this column' },
    ],
  ])('turns %s into a field message', async (_, values, errors) => {
    const code = 'code' in values ? values.code : `B-${Math.random()}`
    expect(await writeRow(database.db, table, { ...values, code })).toEqual({ ok: false, errors })
  })
})

describe('mapWriteError', () => {
  const column = (slug: string) => table.columns.find((c) => c.slug === slug)?.id ?? 0
  const dbError = (fields: Record<string, string>) =>
    Object.assign(new Error(fields.message ?? 'refused'), fields)

  it('asks the column type for the wording of a CHECK it does not know', () => {
    const error = dbError({
      code: '23514',
      constraint: objectName('check', table.id, column('code')),
    })
    expect(mapWriteError(error, table, {})).toEqual({ code: 'Is not allowed in this column' })
  })

  it.each([
    ['an error that is not from the database', new Error('boom')],
    ['a thrown string', 'boom'],
    ['a serialization failure', dbError({ code: '40001' })],
    ['a unique violation on another constraint', dbError({ code: '23505', constraint: 't1_pkey' })],
    ['a not-null violation on an unknown column', dbError({ code: '23502', column: '_version' })],
  ])('rethrows %s', (_, error) => {
    expect(() => mapWriteError(error, table, {})).toThrow()
  })
})
