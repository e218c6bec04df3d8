import { sql } from 'kysely'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Database, Db } from '../db/database.js'
import { createTestDatabase } from '../test/database.js'
import { createOwner, tableWithRows } from '../test/datasource-fixtures.js'
import { getTableById } from './catalog.js'
import { addColumn, ColumnChangeError } from './columns.js'
import { exportFile } from './export.js'
import { buildIndexes } from './indexes.js'
import { columnRef, tableRef } from './names.js'
import { insertRow, insertRows, writeRows } from './row-inserts.js'
import { deleteRow, deleteRows, updateRow } from './row-writes.js'
import { countRows, getRow, listRows } from './rows.js'
import { createTable, deleteTable } from './tables.js'

let database: Database
let ownerId: number
let tables = 0
beforeAll(async () => {
  database = await createTestDatabase()
  ownerId = await createOwner(database, 'faults')
})
afterAll(() => database.close())

const newTable = (rows: string[][] = [['Ada', 'A', '1']]) =>
  tableWithRows(
    database,
    ownerId,
    `Faults ${++tables}`,
    [
      { name: 'Name', type: 'text', required: true },
      { name: 'Code', type: 'text', unique: true },
      { name: 'Count', type: 'integer' },
    ],
    rows,
  )

// A database handle on which the first `times` statements matching `pattern` fail as Postgres
// fails a transaction it broke off (a deadlock), before they are sent.
function breakingOff(pattern: RegExp, times: number): Db {
  let left = times
  return database.db.withPlugin({
    transformQuery: ({ node }) => {
      const text = JSON.stringify(node)
      if (left > 0 && pattern.test(text)) {
        left--
        throw Object.assign(new Error('deadlock detected'), { code: '40P01' })
      }
      return node
    },
    transformResult: async ({ result }) => result,
  })
}

describe('a write Postgres breaks off', () => {
  it('is tried again, and succeeds', async () => {
    const table = await newTable()
    const db = breakingOff(/insert into/, 2)
    expect(await insertRow(db, table, { name: 'Bob' })).toMatchObject({ ok: true })
    expect((await getTableById(database.db, table.id))?.rowCount).toBe(2)
  })

  it('gives up after three tries with a message, having written nothing', async () => {
    const table = await newTable()
    expect(await insertRows(breakingOff(/insert into/, 3), table, [{ name: 'Bob' }])).toEqual({
      ok: false,
      errors: [
        {
          index: null,
          errors: {
            _row: 'The table was busy with other changes, so nothing was saved: try again',
          },
        },
      ],
    })
    expect(await updateRow(breakingOff(/update /, 3), table, 1, null, { name: 'B' })).toEqual({
      ok: false,
      errors: { _row: 'The table was busy with other changes, so nothing was saved: try again' },
    })
    await expect(
      addColumn(breakingOff(/alter table/, 3), table, { name: 'New', type: 'text' }),
    ).rejects.toThrow(
      new ColumnChangeError(
        'The table is busy (a long export or import, or other changes), so nothing was changed: try again in a moment',
      ),
    )
    expect((await getTableById(database.db, table.id))?.columns).toHaveLength(3)
  })
})

describe('Postgres refusing rows the checks let through (a race)', () => {
  it('names the row and field at fault', async () => {
    const table = await newTable()
    const rows = (code: string | null, name: string | null, count: string | null = null) => ({
      name,
      code,
      count,
    })
    expect(await writeRows(database.db, table, [rows('B', 'Bob'), rows('A', 'Cy')])).toEqual({
      ok: false,
      errors: [{ index: 1, errors: { code: 'Already used by another row' } }],
    })
    expect(await writeRows(database.db, table, [rows('C', 'Cy'), rows('D', null)])).toEqual({
      ok: false,
      errors: [{ index: 1, errors: { name: 'A value is required' } }],
    })
    expect(
      await writeRows(database.db, table, [rows('E', 'E'), rows('F', 'F', '99999999999999999999')]),
    ).toEqual({
      ok: false,
      errors: [{ index: null, errors: { _row: 'Is too large or too small for this column' } }],
    })
    expect((await getTableById(database.db, table.id))?.rowCount).toBe(1)
  })

  it('but not a refusal it cannot trace to a field: that is not the user’s doing', async () => {
    const table = await newTable([
      ['Ada', 'A', '1'],
      ['Bob', 'B', '2'],
    ])
    const count = columnRef(table.columns[2]?.id ?? 0)
    // A constraint the app did not make (by hand, say).
    await sql`alter table ${tableRef(table.id)} add constraint by_hand check (${count} < 100)`.execute(
      database.db,
    )
    await expect(
      updateRow(database.db, table, 2, null, { name: 'Bob', count: '100' }),
    ).rejects.toThrow('violates check constraint "by_hand"')
    expect((await getRow(database.db, table, 2))?.cells).toEqual(['Bob', 'B', '2'])
  })
})

describe('a table deleted under a reader or a writer', () => {
  it('reads as empty and writes as gone', async () => {
    const table = await newTable()
    await deleteTable(database.db, table.id)
    expect(
      await listRows(database.db, table, { search: '', order: null, perPage: 25 }),
    ).toMatchObject({
      rows: [],
      total: 0,
      pageCount: 1,
    })
    expect(await countRows(database.db, table, 'ada')).toEqual({ total: 0, estimated: false })
    const chunks = []
    for await (const chunk of exportFile(database, table, { search: '', order: null }, 'json')) {
      chunks.push(chunk)
    }
    expect(Buffer.concat(chunks).toString()).toBe('[]\n')
    expect(await deleteRow(database.db, table, 1, null)).toBeNull()
    expect(await deleteRows(database.db, table, [1, 2])).toBe(0)
    await expect(addColumn(database.db, table, { name: 'X', type: 'text' })).rejects.toThrow(
      'No such table',
    )
  })

  it('whose data alone is missing is damage, and fails as it did', async () => {
    const table = await newTable()
    await sql`drop table ${tableRef(table.id)}`.execute(database.db)
    await expect(updateRow(database.db, table, 1, null, { name: 'B' })).rejects.toThrow(
      /does not exist/,
    )
    await expect(deleteRow(database.db, table, 1, null)).rejects.toThrow(/does not exist/)
    await expect(insertRow(database.db, table, { name: 'B' })).rejects.toThrow(/does not exist/)
    // An index build finds nothing to index, quietly.
    await expect(buildIndexes(database.db, table)).resolves.toEqual([])
    await deleteTable(database.db, table.id)
    await expect(buildIndexes(database.db, table)).resolves.toEqual([])
  })
})

describe('row ids that are no row', () => {
  it.each([0, -1, 1.5, Number.NaN])('%s updates and deletes nothing', async (id) => {
    const table = await newTable()
    expect(await updateRow(database.db, table, id, null, { name: 'B' })).toBeNull()
    expect(await deleteRow(database.db, table, id, null)).toBeNull()
    expect(await getRow(database.db, table, id)).toBeNull()
  })
})

describe('cut values in a grid', () => {
  it('count characters, not UTF-16 units, and never split an emoji', async () => {
    const table = await createTable(database.db, {
      ownerId,
      name: `Emoji ${++tables}`,
      columns: [{ name: 'Notes', type: 'long_text' }],
    })
    await insertRows(database.db, table, [{ notes: '😀'.repeat(300) }, { notes: '😀'.repeat(301) }])
    const page = await listRows(database.db, table, { search: '', order: null, perPage: 25 })
    expect(page.rows.map((row) => [row.cells[0]?.length, row.truncated])).toEqual([
      [600, [false]],
      [600, [true]],
    ])
  })

  it('do not preview JSON bigger than any allowed now (stored before the limit)', async () => {
    const table = await createTable(database.db, {
      ownerId,
      name: `Legacy ${++tables}`,
      columns: [{ name: 'Data', type: 'json' }],
    })
    await insertRow(database.db, table, { data: '[1]' })
    await sql`update ${tableRef(table.id)} set ${columnRef(table.columns[0]?.id ?? 0)} =
      (select jsonb_agg(md5(g::text)) from generate_series(1, 80000) as g)`.execute(database.db)
    const page = await listRows(database.db, table, { search: '', order: null, perPage: 25 })
    expect(page.rows[0]?.cells[0]).toBe(
      'A JSON value too large to preview here: open the row to see it.',
    )
    expect(page.rows[0]?.truncated).toEqual([true])
  })
})
