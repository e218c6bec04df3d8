import { sql } from 'kysely'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { CsvRecord } from '../csv/index.js'
import type { Database } from '../db/database.js'
import { createTestDatabase } from '../test/database.js'
import { getTableById, listTables } from './catalog.js'
import { appendRecords, DEFERRED_INDEX_ROWS, ImportError, importNewTable } from './import.js'
import { getRow } from './rows.js'
import { createTable } from './tables.js'
import type { TableInfo } from './types.js'

let database: Database
let ownerId: number
beforeAll(async () => {
  database = await createTestDatabase()
  ;({ id: ownerId } = await database.db
    .insertInto('users')
    .values({ username: 'importer' })
    .returning('id')
    .executeTakeFirstOrThrow())
})
afterAll(() => database.close())

async function* records(...rows: string[][]): AsyncGenerator<CsvRecord> {
  for (const [index, fields] of rows.entries()) yield { line: index + 2, fields }
}
let tables = 0
async function ringed(): Promise<TableInfo> {
  const table = await createTable(database.db, {
    ownerId,
    name: `Ringed ${++tables}`,
    columns: [
      { name: 'Ring', type: 'text', unique: true },
      { name: 'Bird', type: 'text', required: true },
    ],
  })
  await appendRecords(database, table, records(['R1', 'Wren']), table.columns)
  return (await getTableById(database.db, table.id)) as TableInfo
}
const rowCount = async (table: TableInfo) => (await getTableById(database.db, table.id))?.rowCount

describe('appending records', () => {
  it('adds the rows and counts them in the catalog', async () => {
    const table = await ringed()
    const added = await appendRecords(
      database,
      table,
      records(['R2', 'Jay'], ['R3', 'Owl']),
      table.columns,
    )
    expect(added).toBe(2)
    expect(await rowCount(table)).toBe(3)
    expect((await getRow(database.db, table, 3))?.cells).toEqual(['R3', 'Owl'])
  })

  it('turns a value already used in a unique column into an ImportError, adding nothing', async () => {
    const table = await ringed()
    const append = appendRecords(
      database,
      table,
      records(['R2', 'Jay'], ['R1', 'Owl']),
      table.columns,
    )
    await expect(append).rejects.toBeInstanceOf(ImportError)
    await expect(append).rejects.toThrow(/^a value is already used by another row \(.*R1.*\)$/)
    expect(await rowCount(table)).toBe(1)
    expect(await getRow(database.db, table, 2)).toBeNull()
  })

  it('turns a missing required value the database refuses into an ImportError', async () => {
    const table = await ringed()
    const [ring] = table.columns
    const append = appendRecords(database, table, records(['R9']), [ring ?? null])
    await expect(append).rejects.toBeInstanceOf(ImportError)
    await expect(append).rejects.toThrow(/not-null/)
    expect(await rowCount(table)).toBe(1)
  })

  it('refuses a record with the wrong number of values, naming its line', async () => {
    const table = await ringed()
    const append = appendRecords(database, table, records(['R2', 'Jay'], ['R3']), table.columns)
    await expect(append).rejects.toThrow('line 3: expected 2 values but found 1')
    expect(await rowCount(table)).toBe(1)
  })

  it('passes on a failure to read the records as it is, adding nothing', async () => {
    const table = await ringed()
    async function* broken(): AsyncGenerator<CsvRecord> {
      yield { line: 2, fields: ['R2', 'Jay'] }
      throw new Error('the disk went away')
    }
    const append = appendRecords(database, table, broken(), table.columns)
    await expect(append).rejects.toThrow('the disk went away')
    await expect(append).rejects.not.toBeInstanceOf(ImportError)
    expect(await rowCount(table)).toBe(1)
  })

  it('sends a big file in several chunks', async () => {
    const table = await ringed()
    const long = 'x'.repeat(400)
    const rows = Array.from({ length: 6000 }, (_, i) => [`B${i}`, `${long}${i}`])
    expect(await appendRecords(database, table, records(...rows), table.columns)).toBe(6000)
    expect(await rowCount(table)).toBe(6001)
    expect((await getRow(database.db, table, 6001))?.cells).toEqual(['B5999', `${long}5999`])
  })
})

describe('importing a new table', () => {
  it('leaves no table behind when a value is refused', async () => {
    const columns = [{ name: 'Count', type: 'integer' as const }]
    const load = importNewTable(
      database,
      { ownerId, name: 'Never made', columns },
      records(['1'], ['two']),
    )
    await expect(load).rejects.toThrow('line 3, column “Count”: Must be a whole number')
    const names = (await listTables(database.db, { ownerId, viewerId: ownerId })).map((t) => t.name)
    expect(names).not.toContain('Never made')
  })
})

describe.runIf(process.env.TEST_DATABASE_URL)('a big import on Postgres', () => {
  it('commits the rows at once and builds the indexes afterwards', async () => {
    async function* birds(): AsyncGenerator<CsvRecord> {
      for (let i = 1; i <= DEFERRED_INDEX_ROWS; i++) yield { line: i + 1, fields: [`bird ${i}`] }
    }
    const columns = [{ name: 'Bird', type: 'text' as const }]
    const load = await importNewTable(database, { ownerId, name: 'Big', columns }, birds())
    expect(load.rows).toBe(DEFERRED_INDEX_ROWS)
    expect(await rowCount(load.table)).toBe(DEFERRED_INDEX_ROWS)
    await load.indexing
    const { rows } = await sql<{ name: string; valid: boolean }>`
      select c.relname as name, i.indisvalid as valid from pg_index i
      join pg_class c on c.oid = i.indexrelid
      where i.indrelid = ${`userdata.t${load.table.id}`}::regclass order by 1`.execute(database.db)
    const column = load.table.columns[0]?.id
    expect(rows).toEqual([
      { name: `t${load.table.id}_c${column}_sort`, valid: true },
      { name: `t${load.table.id}_c${column}_trgm`, valid: true },
      { name: `t${load.table.id}_pkey`, valid: true },
    ])
  })
})
