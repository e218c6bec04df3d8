import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { findTable } from '../datasource/catalog.js'
import { getRow, listRows } from '../datasource/rows.js'
import type { Database } from '../db/database.js'
import { createTestDatabase } from '../test/database.js'
import { DEMO_USERNAME, loadDemoData } from './demo-data.js'

let database: Database
beforeAll(async () => {
  database = await createTestDatabase()
})
afterAll(() => database.close())

describe('loadDemoData', () => {
  it('loads both election tables once, with votes typed as integers', async () => {
    expect(await loadDemoData(database)).toEqual([
      'UK General Election 2015',
      'UK General Election 2017',
    ])
    expect(await loadDemoData(database)).toEqual([])
    const lookup = await findTable(database.db, DEMO_USERNAME, 'uk-general-election-2017')
    if (lookup.found !== 'table') throw new Error('demo table missing')
    const { table } = lookup
    expect(table.rowCount).toBe(3304)
    expect(table.columns.map((c) => [c.slug, c.type])).toEqual([
      ['constituency', 'text'],
      ['surname', 'text'],
      ['first_name', 'text'],
      ['party', 'text'],
      ['votes', 'integer'],
    ])
    const page = await listRows(database.db, table, {
      search: '',
      order: { column: table.columns[4] ?? null, descending: true },
      page: 1,
      perPage: 3,
    })
    expect(page.total).toBe(3304)
    expect(page.rows[0]?.cells).toEqual(['Knowsley', 'HOWARTH', 'George Edward', 'Labour', '47351'])
    const first = await getRow(database.db, table, 2)
    // Cells are trimmed on import.
    expect(first?.cells).toEqual(['Aldershot', 'SWALES', 'John Roy', 'UKIP', '1796'])
  })
})
