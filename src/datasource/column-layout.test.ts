import { sql } from 'kysely'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { CsvRecord } from '../csv/index.js'
import type { Database } from '../db/database.js'
import { createTestDatabase } from '../test/database.js'
import { getTableById } from './catalog.js'
import type { ColumnType } from './column-types.js'
import {
  addColumn,
  ColumnChangeError,
  type ColumnChanges,
  deleteColumn,
  moveColumn,
  updateColumn,
} from './columns.js'
import { importNewTable } from './import.js'
import { DATA_SCHEMA, physicalColumnName, physicalTableName } from './names.js'
import { listRows } from './rows.js'
import type { ColumnInfo, ColumnSpec, TableInfo } from './types.js'

let database: Database
let ownerId: number
let tableCount = 0
beforeAll(async () => {
  database = await createTestDatabase()
  const owner = await database.db
    .insertInto('users')
    .values({ username: 'layout', github_id: null })
    .returning('id')
    .executeTakeFirstOrThrow()
  ownerId = owner.id
})
afterAll(() => database.close())

async function* records(rows: string[][]): AsyncGenerator<CsvRecord> {
  for (const [index, fields] of rows.entries()) yield { line: index + 2, fields }
}

async function newTable(columns: ColumnSpec[], rows: string[][] = []): Promise<TableInfo> {
  const name = `Table ${++tableCount}`
  return (await importNewTable(database, { ownerId, name, columns }, records(rows))).table
}

async function cells(table: TableInfo) {
  const page = await listRows(database.db, table, {
    search: '',
    order: null,
    page: 1,
    perPage: 100,
  })
  return page.rows.map((row) => row.cells)
}

async function physicalColumns(table: TableInfo): Promise<string[]> {
  const { rows } = await sql<{ name: string }>`
    select column_name as name from information_schema.columns
    where table_schema = ${DATA_SCHEMA} and table_name = ${physicalTableName(table.id)}
    order by ordinal_position
  `.execute(database.db)
  return rows.map((row) => row.name)
}

describe('renaming, moving and deleting', () => {
  const threeColumns: ColumnSpec[] = [
    { name: 'Name', type: 'text' },
    { name: 'Party', type: 'text' },
    { name: 'Votes', type: 'integer' },
  ]
  const data = [
    ['Ann', 'Green', '10'],
    ['Bob', 'Labour', '20'],
  ]

  it('renames a column; the slug follows and the data stays', async () => {
    const table = await newTable(threeColumns, data)
    const party = table.columns[1] as ColumnInfo
    const renamed = await updateColumn(database.db, table, party.id, { name: ' Political party ' })
    expect(renamed.columns[1]).toMatchObject({ name: 'Political party', slug: 'political_party' })
    const clash = await updateColumn(database.db, renamed, party.id, { name: 'name' })
    expect(clash.columns.map((c) => c.slug)).toEqual(['name', 'name_2', 'votes'])
    const same = await updateColumn(database.db, clash, party.id, { name: 'name' })
    expect(same.columns[1]?.slug).toBe('name_2')
    expect(await cells(same)).toEqual(data)
  })

  it('moves a column up and down, and not past either end', async () => {
    const table = await newTable(threeColumns, data)
    const [name, party, votes] = table.columns.map((c) => c.id)
    const slugs = (t: TableInfo) => t.columns.map((c) => `${c.position}:${c.slug}`)
    const up = await moveColumn(database.db, table, votes as number, 'up')
    expect(slugs(up)).toEqual(['1:name', '2:votes', '3:party'])
    expect(await cells(up)).toEqual([
      ['Ann', '10', 'Green'],
      ['Bob', '20', 'Labour'],
    ])
    const down = await moveColumn(database.db, up, name as number, 'down')
    expect(slugs(down)).toEqual(['1:votes', '2:name', '3:party'])
    expect(slugs(await moveColumn(database.db, down, party as number, 'down'))).toEqual(slugs(down))
    expect(slugs(await moveColumn(database.db, down, votes as number, 'up'))).toEqual(slugs(down))
  })

  it('deletes a column: the real column, the catalog row, and the gap in positions', async () => {
    const table = await newTable(threeColumns, data)
    const [name, party, votes] = table.columns.map((c) => c.id) as [number, number, number]
    const after = await deleteColumn(database.db, table, party)
    expect(after.columns.map((c) => `${c.position}:${c.slug}`)).toEqual(['1:name', '2:votes'])
    expect(await physicalColumns(table)).toEqual([
      'id',
      '_version',
      physicalColumnName(name),
      physicalColumnName(votes),
    ])
    expect(await cells(after)).toEqual([
      ['Ann', '10'],
      ['Bob', '20'],
    ])
  })

  it.each([
    ['updateColumn', (t: TableInfo) => updateColumn(database.db, t, 999_999, { name: 'X' })],
    ['moveColumn', (t: TableInfo) => moveColumn(database.db, t, 999_999, 'up')],
    ['deleteColumn', (t: TableInfo) => deleteColumn(database.db, t, 999_999)],
  ])('%s refuses a column the table does not have', async (_, change) => {
    const table = await newTable(threeColumns)
    await expect(change(table)).rejects.toThrow(new ColumnChangeError('No such column'))
  })

  it.each<[ColumnChanges, string, string]>([
    [{ name: ' ' }, 'Give the column a name', 'name'],
    [{ type: 'money' as ColumnType }, 'Pick a column type', 'type'],
    [{ type: 'choice' }, 'Give at least one choice', 'choices'],
    [{ type: 'choice', choices: ['', ' '] }, 'Give at least one choice', 'choices'],
  ])('updateColumn refuses %j', async (changes, message, field) => {
    const table = await newTable(threeColumns, data)
    const id = table.columns[1]?.id ?? 0
    await expect(updateColumn(database.db, table, id, changes)).rejects.toMatchObject({
      message,
      field,
    })
    expect(await getTableById(database.db, table.id)).toEqual(table)
  })

  it('refuses a table that no longer exists', async () => {
    const table = await newTable(threeColumns)
    await database.db.deleteFrom('tables').where('id', '=', table.id).execute()
    await expect(addColumn(database.db, table, { name: 'X', type: 'text' })).rejects.toThrow(
      'No such table',
    )
  })
})
