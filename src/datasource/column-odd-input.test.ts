import { randomBytes } from 'node:crypto'
import { sql } from 'kysely'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Database } from '../db/database.js'
import { createTestDatabase } from '../test/database.js'
import { createOwner, tableWithRows } from '../test/datasource-fixtures.js'
import type { ColumnType } from './column-types.js'
import { addColumn, ColumnChangeError, updateColumn } from './columns.js'
import { columnRef, tableRef } from './names.js'
import { insertRow } from './row-inserts.js'
import { getRow } from './rows.js'
import { createTable } from './tables.js'

let database: Database
let ownerId: number
let tables = 0
beforeAll(async () => {
  database = await createTestDatabase()
  ownerId = await createOwner(database, 'odd')
})
afterAll(() => database.close())

const withRows = (type: ColumnType = 'text', values = ['a', 'b']) =>
  tableWithRows(
    database,
    ownerId,
    `Odd ${++tables}`,
    [{ name: 'Value', type }],
    values.map((value) => [value]),
  )

const refusal = async (change: Promise<unknown>) => {
  try {
    await change
    return 'accepted'
  } catch (error) {
    if (!(error instanceof ColumnChangeError)) throw error
    return `${error.field}: ${error.message}`
  }
}

// Random letters do not compress, so Postgres cannot squeeze them into its catalog row.
const incompressible = (length: number) =>
  randomBytes(length)
    .toString('base64')
    .replace(/[^a-z]/gi, 'x')
    .slice(0, length)

describe('a column default', () => {
  it.each<[ColumnType, string, string]>([
    ['json', '"\\u0000"', 'defaultValue: Must not contain \\u0000, which Postgres cannot store'],
    ['json', '"\\ud800"', 'defaultValue: Must not contain an unpaired surrogate (\\ud800–\\udfff)'],
    ['json', '{"a":', 'defaultValue: Must be valid JSON (unexpected end at character 6)'],
    ['decimal', '9'.repeat(20_000), 'defaultValue: Must have at most 1,000 digits'],
    ['text', 'a\u0000b', 'defaultValue: Must not contain a NUL character'],
    ['long_text', 'x'.repeat(1_000_001), 'defaultValue: Must be at most 1,000,000 characters'],
  ])('that a %s column cannot hold is refused with a message', async (type, value, message) => {
    const table = await withRows()
    expect(
      await refusal(addColumn(database.db, table, { name: 'New', type, defaultValue: value })),
    ).toBe(message)
  })

  it('keeps a JSON default exactly, big numbers and all', async () => {
    const table = await withRows()
    const after = await addColumn(database.db, table, {
      name: 'Data',
      type: 'json',
      defaultValue: '{"n":1e309}',
    })
    expect((await getRow(database.db, after, 1))?.cells[1]).toBe(`{"n": 1${'0'.repeat(309)}}`)
  })

  it.each([0, 2])(
    'of long text over 8 kB goes on a table of %i rows, and into new rows',
    async (rows) => {
      const table = await withRows('text', rows ? ['a', 'b'] : [])
      const long = incompressible(9_000)
      const after = await addColumn(database.db, table, {
        name: 'Notes',
        type: 'long_text',
        required: true,
        defaultValue: long,
      })
      for (let id = 1; id <= rows; id++) {
        expect((await getRow(database.db, after, id))?.cells[1]).toBe(long)
      }
      const added = await insertRow(database.db, after, { value: 'c' }, { input: 'typed' })
      expect(added.ok && added.row.cells[1]).toBe(long)
      expect(after.columns[1]).toMatchObject({ required: true, defaultValue: long })
    },
  )

  it('of JSON over 8 kB goes on a table with rows too', async () => {
    const table = await withRows()
    const value = JSON.stringify({ text: incompressible(9_000) })
    const after = await addColumn(database.db, table, {
      name: 'Data',
      type: 'json',
      defaultValue: value,
    })
    expect((await getRow(database.db, after, 2))?.cells[1]).toBe(value.replace('":"', '": "'))
  })
})

describe('a type change', () => {
  it('converts only values within the new type’s limits', async () => {
    const table = await withRows('long_text', ['short', 'x'.repeat(501)])
    expect(
      await refusal(updateColumn(database.db, table, table.columns[0]?.id ?? 0, { type: 'text' })),
    ).toBe(`type: 1 value would not convert to Text, e.g. row 2: “${'x'.repeat(100)}…”`)
  })

  it('to JSON refuses text jsonb would refuse, and text over the JSON limit, unread', async () => {
    const table = await withRows('long_text', ['{"a":1e309}', '"\\u0000"', 'later'])
    // A value from before long text had its limit.
    await sql`update ${tableRef(table.id)} set ${columnRef(table.columns[0]?.id ?? 0)} =
      '"' || repeat('x', 1000000) || '"' where id = 3`.execute(database.db)
    expect(
      await refusal(updateColumn(database.db, table, table.columns[0]?.id ?? 0, { type: 'json' })),
    ).toBe('type: 2 values would not convert to JSON, e.g. row 2: “"\\u0000"”')
  })

  it('to JSON keeps numbers exactly as jsonb reads them', async () => {
    const table = await withRows('text', ['{"a":1e309}', '9007199254740993'])
    const after = await updateColumn(database.db, table, table.columns[0]?.id ?? 0, {
      type: 'json',
    })
    expect((await getRow(database.db, after, 1))?.cells[0]).toBe(`{"a": 1${'0'.repeat(309)}}`)
    expect((await getRow(database.db, after, 2))?.cells[0]).toBe('9007199254740993')
  })

  it('to Decimal refuses numbers of more than 1,000 digits', async () => {
    const table = await withRows('long_text', ['1.5', '9'.repeat(1001)])
    expect(
      await refusal(
        updateColumn(database.db, table, table.columns[0]?.id ?? 0, { type: 'decimal' }),
      ),
    ).toBe(`type: 1 value would not convert to Decimal, e.g. row 2: “${'9'.repeat(100)}…”`)
  })
})

describe('a new table', () => {
  it.each([
    [{ name: 'a\u0000b', columns: [] }, 'Must not contain a NUL character'],
    [{ name: 42 as unknown as string, columns: [] }, 'Invalid type'],
    [
      { name: 'Ok', description: 'bad \ud800', columns: [] },
      'Must not contain invalid Unicode (an unpaired surrogate)',
    ],
    [
      { name: 'Ok', columns: [{ name: 'x\u0000', type: 'text' as const }] },
      'Must not contain a NUL character',
    ],
    [
      {
        name: 'Ok',
        columns: Array.from({ length: 201 }, (_, i) => ({ name: `c${i}`, type: 'text' as const })),
      },
      'A table can have at most 200 columns, not 201',
    ],
  ])('is refused with a message for %#', async (input, message) => {
    await expect(createTable(database.db, { ownerId, ...input })).rejects.toThrow(message)
  })
})
