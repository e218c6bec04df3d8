import { sql } from 'kysely'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { CsvRecord } from '../csv/index.js'
import type { Database } from '../db/database.js'
import { createTestDatabase } from '../test/database.js'
import { getTableById, listTables } from './catalog.js'
import {
  appendRecords,
  DEFERRED_INDEX_ROWS,
  ImportError,
  importNewTable,
  SentLines,
} from './import.js'
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
    await expect(append).rejects.toThrow(
      /^line 3: a value is already used by another row \(.*R1.*\)$/,
    )
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

describe('SentLines', () => {
  it('gives the file line of each row COPY numbers from 1, however many', () => {
    const sent = new SentLines()
    for (let row = 1; row <= 5000; row++) sent.add(row * 2 + 1)
    expect(sent.count).toBe(5000)
    expect([sent.fileLine(1), sent.fileLine(1025), sent.fileLine(5000)]).toEqual([3, 2051, 10001])
    expect([sent.fileLine(0), sent.fileLine(5001)]).toEqual([null, null])
  })
})

describe('values Postgres checks as it copies', () => {
  const columns = [
    { name: 'Note', type: 'text' as const },
    { name: 'Count', type: 'integer' as const },
    { name: 'Price', type: 'decimal' as const },
    { name: 'Day', type: 'date' as const },
    { name: 'Done', type: 'boolean' as const },
  ]
  // Past the first chunk sent to COPY (1 MB), after a value with a line break in it.
  const filler = (n: number) =>
    Array.from({ length: n }, (_, i) => [
      `${'x'.repeat(300)}\n${i}`,
      String(i),
      '1.5',
      '2024-01-31',
      'true',
    ])

  it.each([
    ['a whole number out of range', 1, '9223372036854775808', 'Count', 'Must be a whole number'],
    ['a day that is not in the calendar', 3, '2023-02-29', 'Day', 'Must be a date like 2017-06-08'],
  ])(
    'names the line and the column of %s, and adds nothing',
    async (_name, index, value, column, message) => {
      const good = filler(4000)
      const bad = ['late', '1', '2.25', '2024-02-29', 'false']
      bad[index] = value
      const load = importNewTable(
        database,
        { ownerId, name: `Checked ${index}`, columns },
        records(...good, bad),
      )
      // records() numbers the rows from line 2.
      await expect(load).rejects.toThrow(new ImportError(4002, column, message))
      const names = (await listTables(database.db, { ownerId, viewerId: ownerId })).map(
        (t) => t.name,
      )
      expect(names).not.toContain(`Checked ${index}`)
    },
  )

  it('stores what it passes on as typed', async () => {
    const { table } = await importNewTable(
      database,
      { ownerId, name: 'Checked fine', columns },
      records(
        ['a', '-9223372036854775808', '-0.50', '2024-02-29', 'false'],
        ['b', '+7', '1e3', ' 2024-12-09 ', 'yes'],
      ),
    )
    expect((await getRow(database.db, table, 1))?.cells).toEqual([
      'a',
      '-9223372036854775808',
      '-0.50',
      '2024-02-29',
      'false',
    ])
    expect((await getRow(database.db, table, 2))?.cells).toEqual([
      'b',
      '7',
      '1000',
      '2024-12-09',
      'true',
    ])
  })

  it('names the line of a row that breaks a unique column', async () => {
    const table = await ringed()
    const append = appendRecords(
      database,
      table,
      records(['R2', 'Jay'], ['R3', 'Owl'], ['R1', 'Kite']),
      table.columns,
    )
    await expect(append).rejects.toThrow(/^line 4: a value is already used by another row/)
    expect(await rowCount(table)).toBe(1)
  })
})

describe.runIf(process.env.TEST_DATABASE_URL)('a big import on Postgres', () => {
  it('commits the rows at once and builds the indexes afterwards', async () => {
    async function* birds(): AsyncGenerator<CsvRecord> {
      for (let i = 1; i <= DEFERRED_INDEX_ROWS; i++) {
        yield { line: i + 1, fields: [`note ${i % 10}`, `bird ${i}`] }
      }
    }
    const columns = [
      { name: 'Note', type: 'long_text' as const },
      { name: 'Bird', type: 'text' as const },
    ]
    const load = await importNewTable(database, { ownerId, name: 'Big', columns }, birds())
    expect(load.rows).toBe(DEFERRED_INDEX_ROWS)
    expect(await rowCount(load.table)).toBe(DEFERRED_INDEX_ROWS)
    const times = await load.indexing
    const [note, column] = load.table.columns.map((c) => `t${load.table.id}_c${c.id}`)
    // Sorts first; the long text's trigram index, the slowest, waits for a first search.
    expect(times.map(({ name, column }) => ({ name, column }))).toEqual([
      { name: `${note}_sort`, column: 'Note' },
      { name: `${column}_sort`, column: 'Bird' },
      { name: `${column}_trgm`, column: 'Bird' },
    ])
    expect(times.every((time) => time.ms > 0)).toBe(true)
    const { rows } = await sql<{ name: string; valid: boolean }>`
      select c.relname as name, i.indisvalid as valid from pg_index i
      join pg_class c on c.oid = i.indexrelid
      where i.indrelid = ${`userdata.t${load.table.id}`}::regclass order by 1`.execute(database.db)
    expect(rows).toEqual(
      [
        { name: `${note}_sort`, valid: true },
        { name: `${column}_sort`, valid: true },
        { name: `${column}_trgm`, valid: true },
        { name: `t${load.table.id}_pkey`, valid: true },
      ].sort((a, b) => (a.name < b.name ? -1 : 1)),
    )
  })
})
