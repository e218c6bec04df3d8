import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { CsvRecord } from '../csv/index.js'
import type { Database } from '../db/database.js'
import { createTestDatabase } from '../test/database.js'
import { getTableById } from './catalog.js'
import { importNewTable } from './import.js'
import {
  deleteRow,
  deleteRows,
  insertRow,
  MAX_BULK_DELETE,
  updateRow,
  writeRow,
} from './row-writes.js'
import { countRows, getRow } from './rows.js'
import { createTable } from './tables.js'
import type { ColumnSpec, TableInfo } from './types.js'

let database: Database
let ownerId: number
beforeAll(async () => {
  database = await createTestDatabase()
  const user = await database.db
    .insertInto('users')
    .values({ username: 'ada', github_id: null })
    .returning('id')
    .executeTakeFirstOrThrow()
  ownerId = user.id
})
afterAll(() => database.close())

async function* records(rows: string[][]): AsyncGenerator<CsvRecord> {
  for (const [index, fields] of rows.entries()) yield { line: index + 2, fields }
}

const PEOPLE: ColumnSpec[] = [
  { name: 'Name', type: 'text', required: true },
  { name: 'Email', type: 'email', unique: true },
  { name: 'Age', type: 'integer', defaultValue: '18' },
]

// Each test gets its own table, loaded through COPY, so tests do not depend on one another.
let tableCount = 0
async function peopleTable(rows: string[][] = [], columns = PEOPLE): Promise<TableInfo> {
  const input = { ownerId, name: `People ${++tableCount}`, columns }
  return (await importNewTable(database, input, records(rows))).table
}

const rowCount = async (table: TableInfo) => (await getTableById(database.db, table.id))?.rowCount

describe('insertRow', () => {
  it('inserts a row, counts it in the catalog and returns it as stored', async () => {
    const table = await peopleTable([['Ada', 'ada@example.com', '36']])
    const before = await getTableById(database.db, table.id)
    const result = await insertRow(database.db, table, {
      name: ' Grace ',
      email: 'grace@example.com',
      age: '+85',
    })
    expect(result).toEqual({
      ok: true,
      row: { id: 2, version: 1, cells: ['Grace', 'grace@example.com', '85'] },
    })
    expect((await getRow(database.db, table, 2))?.cells).toEqual(result.ok && result.row.cells)
    const after = await getTableById(database.db, table.id)
    expect(after?.rowCount).toBe(2)
    expect(after?.updatedAt.getTime()).toBeGreaterThanOrEqual(before?.updatedAt.getTime() ?? 0)
  })

  it('gives a blank optional field its column default, and stores null where there is none', async () => {
    const table = await peopleTable()
    const result = await insertRow(database.db, table, { name: 'Ada', age: '' })
    expect(result.ok && result.row.cells).toEqual(['Ada', null, '18'])
  })

  it('answers every field error and writes nothing', async () => {
    const table = await peopleTable()
    expect(await insertRow(database.db, table, { name: '', email: 'ada', age: 'x' })).toEqual({
      ok: false,
      errors: {
        name: 'A value is required',
        email: 'Must be a valid email address',
        age: 'Must be a whole number',
      },
    })
    expect((await countRows(database.db, table, '')).total).toBe(0)
    expect(await rowCount(table)).toBe(0)
  })

  it('refuses a value already used in a unique column, but not a second blank', async () => {
    const table = await peopleTable([['Ada', 'ada@example.com', '36']])
    expect(await insertRow(database.db, table, { name: 'Bob', email: 'ada@example.com' })).toEqual({
      ok: false,
      errors: { email: 'Already used by another row' },
    })
    expect((await insertRow(database.db, table, { name: 'Bob' })).ok).toBe(true)
    expect((await insertRow(database.db, table, { name: 'Cy' })).ok).toBe(true)
    expect(await rowCount(table)).toBe(3)
  })

  it('names each unique column whose value is taken', async () => {
    const columns: ColumnSpec[] = [
      { name: 'Code', type: 'text', unique: true },
      { name: 'Email', type: 'email', unique: true },
    ]
    const table = await peopleTable([['A1', 'ada@example.com']], columns)
    const taken = 'Already used by another row'
    expect(await insertRow(database.db, table, { code: 'A1', email: 'ada@example.com' })).toEqual({
      ok: false,
      errors: { code: taken, email: taken },
    })
    expect(await insertRow(database.db, table, { code: 'B2', email: 'ada@example.com' })).toEqual({
      ok: false,
      errors: { email: taken },
    })
  })

  it('turns a unique violation at INSERT time (a lost race) into the same field error', async () => {
    const table = await peopleTable([['Ada', 'ada@example.com', '36']])
    const values = { name: 'Bob', email: 'ada@example.com', age: null }
    expect(await writeRow(database.db, table, values)).toEqual({
      ok: false,
      errors: { email: 'Already used by another row' },
    })
    expect((await countRows(database.db, table, '')).total).toBe(1)
    expect(await rowCount(table)).toBe(1)
  })

  it('lets exactly one of two concurrent inserts of the same value win', async () => {
    const table = await peopleTable()
    const input = { name: 'Ada', email: 'same@example.com' }
    const results = await Promise.all([
      insertRow(database.db, table, input),
      insertRow(database.db, table, input),
    ])
    expect(results.filter((result) => result.ok)).toHaveLength(1)
    expect(results.find((result) => !result.ok)).toEqual({
      ok: false,
      errors: { email: 'Already used by another row' },
    })
    expect(await rowCount(table)).toBe(1)
  })

  it('inserts into a table with no columns', async () => {
    const table = await createTable(database.db, { ownerId, name: 'Empty', columns: [] })
    expect(await insertRow(database.db, table, {})).toEqual({
      ok: true,
      row: { id: 1, version: 1, cells: [] },
    })
  })
})

describe('updateRow', () => {
  it('replaces the values, bumps the version and keeps the count', async () => {
    const table = await peopleTable([['Ada', 'ada@example.com', '36']])
    const result = await updateRow(database.db, table, 1, 1, {
      name: 'Ada Lovelace',
      email: 'ada@example.com',
      age: '',
    })
    expect(result).toEqual({
      ok: true,
      row: { id: 1, version: 2, cells: ['Ada Lovelace', 'ada@example.com', null] },
    })
    expect(await getRow(database.db, table, 1)).toEqual(result?.ok && result.row)
    expect(await rowCount(table)).toBe(1)
  })

  it('refuses the second of two updates made from the same version, keeping the first', async () => {
    const table = await peopleTable([['Ada', '', '36']])
    const first = await updateRow(database.db, table, 1, 1, { name: 'First', age: '1' })
    const second = await updateRow(database.db, table, 1, 1, { name: 'Second', age: '2' })
    const current = { id: 1, version: 2, cells: ['First', null, '1'] }
    expect(first).toEqual({ ok: true, row: current })
    expect(second).toEqual({ ok: false, conflict: true, current })
    expect(await getRow(database.db, table, 1)).toEqual(current)
  })

  it('reports a conflict before the mistakes of a stale form', async () => {
    const table = await peopleTable([['Ada', '', '36']])
    await updateRow(database.db, table, 1, 1, { name: 'Ada' })
    const result = await updateRow(database.db, table, 1, 1, { name: '' })
    expect(result && 'conflict' in result).toBe(true)
  })

  it('answers field errors for bad values and leaves the row alone', async () => {
    const table = await peopleTable([['Ada', 'ada@example.com', '36']])
    expect(await updateRow(database.db, table, 1, 1, { name: '', age: '1.5' })).toEqual({
      ok: false,
      errors: { name: 'A value is required', age: 'Must be a whole number' },
    })
    expect(await getRow(database.db, table, 1)).toEqual({
      id: 1,
      version: 1,
      cells: ['Ada', 'ada@example.com', '36'],
    })
  })

  it('refuses a unique value that another row holds', async () => {
    const table = await peopleTable([
      ['Ada', 'ada@example.com', '36'],
      ['Bob', 'bob@example.com', '40'],
    ])
    const input = { name: 'Bob', email: 'ada@example.com' }
    expect(await updateRow(database.db, table, 2, 1, input)).toEqual({
      ok: false,
      errors: { email: 'Already used by another row' },
    })
  })

  it.each([99, 0, -1, 1.5])('answers null for row %s, which does not exist', async (rowId) => {
    const table = await peopleTable([['Ada', '', '36']])
    expect(await updateRow(database.db, table, rowId, 1, { name: 'Bob' })).toBeNull()
  })
})

describe('deleteRow', () => {
  it('deletes the row at the expected version and counts it out', async () => {
    const table = await peopleTable([
      ['Ada', '', '36'],
      ['Bob', '', '40'],
    ])
    expect(await deleteRow(database.db, table, 1, 1)).toEqual({ ok: true })
    expect(await getRow(database.db, table, 1)).toBeNull()
    expect(await rowCount(table)).toBe(1)
    expect(await deleteRow(database.db, table, 1, 1)).toBeNull()
  })

  it('refuses a stale version and keeps the row; null deletes whatever is there', async () => {
    const table = await peopleTable([['Ada', '', '36']])
    await updateRow(database.db, table, 1, 1, { name: 'Ada Lovelace' })
    expect(await deleteRow(database.db, table, 1, 1)).toEqual({
      ok: false,
      conflict: true,
      current: { id: 1, version: 2, cells: ['Ada Lovelace', null, null] },
    })
    expect(await rowCount(table)).toBe(1)
    expect(await deleteRow(database.db, table, 1, null)).toEqual({ ok: true })
    expect(await rowCount(table)).toBe(0)
  })
})

describe('deleteRows', () => {
  it('deletes the rows that exist, ignoring unknown, repeated and invalid ids', async () => {
    const table = await peopleTable([
      ['Ada', '', '1'],
      ['Bob', '', '2'],
      ['Cy', '', '3'],
      ['Di', '', '4'],
    ])
    expect(await deleteRows(database.db, table, [1, 3, 3, 99, 0, -2, 2.5])).toBe(2)
    expect(await rowCount(table)).toBe(2)
    expect(await deleteRows(database.db, table, [1, 99])).toBe(0)
    expect(await deleteRows(database.db, table, [])).toBe(0)
    expect(await rowCount(table)).toBe(2)
  })

  it(`refuses more than ${MAX_BULK_DELETE} ids`, async () => {
    const table = await peopleTable([['Ada', '', '1']])
    const ids = Array.from({ length: MAX_BULK_DELETE + 1 }, (_, index) => index + 1)
    await expect(deleteRows(database.db, table, ids)).rejects.toThrow('At most 1000 rows')
    expect(await deleteRows(database.db, table, ids.slice(0, MAX_BULK_DELETE))).toBe(1)
  })
})
