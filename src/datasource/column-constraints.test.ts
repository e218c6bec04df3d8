import { randomBytes } from 'node:crypto'
import { sql } from 'kysely'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { CsvRecord } from '../csv/index.js'
import type { Database } from '../db/database.js'
import { createTestDatabase } from '../test/database.js'
import { getTableById } from './catalog.js'
import { alterCheckingConstraints } from './column-constraints.js'
import { type ColumnChanges, ConstraintError, updateColumn } from './columns.js'
import { appendRecords, ImportError, importNewTable } from './import.js'
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
    .values({ username: 'constraints', github_id: null })
    .returning('id')
    .executeTakeFirstOrThrow()
  ownerId = owner.id
})
afterAll(() => database.close())

async function* records(rows: string[][]): AsyncGenerator<CsvRecord> {
  for (const [index, fields] of rows.entries()) yield { line: index + 2, fields }
}

// The column under test comes first; a label beside it lets rows be added without it.
async function newTable(column: ColumnSpec, values: string[]): Promise<TableInfo> {
  const name = `Table ${++tableCount}`
  const rows = values.map((value) => [value, 'old'])
  const columns = [column, { name: 'Label', type: 'text' as const }]
  return (await importNewTable(database, { ownerId, name, columns }, records(rows))).table
}

const append = (table: TableInfo, values: string[]) =>
  appendRecords(database, table, records(values.map((value) => [value, 'new'])), table.columns)

// Adds a row that leaves the column out, so the database fills in its default.
const appendWithout = (table: TableInfo) =>
  appendRecords(database, table, records([['', 'new']]), [null, table.columns[1] ?? null])

async function notNull(table: TableInfo): Promise<boolean> {
  const { rows } = await sql<{ attnotnull: boolean }>`
    select attnotnull from pg_attribute
    where attrelid = ${`${DATA_SCHEMA}.${physicalTableName(table.id)}`}::regclass
      and attname = ${physicalColumnName(table.columns[0]?.id ?? 0)}
  `.execute(database.db)
  return rows[0]?.attnotnull ?? false
}

async function values(table: TableInfo): Promise<(string | null)[]> {
  const page = await listRows(database.db, table, {
    search: '',
    order: null,
    page: 1,
    perPage: 100,
  })
  return page.rows.map((row) => row.cells[0] ?? null)
}

const PARTIES = ['Labour', 'Green', 'Labour', '', 'Green', 'SNP', 'Labour', '', '', 'Green', '', '']

describe('refusing constraints that existing rows break', () => {
  it.each<[string, ColumnSpec, string[], ColumnChanges, string, number[], string]>([
    [
      'required with blanks',
      { name: 'Party', type: 'text' },
      PARTIES,
      { required: true },
      '5 rows have no value: rows 4, 8, 9, 11, 12',
      [4, 8, 9, 11, 12],
      'required',
    ],
    [
      'required with one blank',
      { name: 'Party', type: 'text' },
      ['a', ''],
      { required: true },
      '1 row has no value: row 2',
      [2],
      'required',
    ],
    [
      'required with more blanks than a message lists',
      { name: 'Party', type: 'text' },
      Array.from({ length: 12 }, () => ''),
      { required: true },
      '12 rows have no value: rows 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, …',
      [1, 2, 3, 4, 5, 6, 7, 8, 9, 10],
      'required',
    ],
    [
      'unique with repeats',
      { name: 'Party', type: 'text' },
      PARTIES,
      { unique: true },
      '“Labour” is repeated in rows 1, 3, 7',
      [1, 3, 7],
      'unique',
    ],
    [
      'unique where a type change makes values equal',
      { name: 'Code', type: 'text', unique: true },
      ['5', '1', '01'],
      { type: 'integer' },
      '“1” is repeated in rows 2, 3',
      [2, 3],
      'unique',
    ],
    [
      'narrower choices',
      { name: 'Party', type: 'choice', choices: ['Labour', 'Green', 'SNP'] },
      PARTIES,
      { choices: ['Labour', 'SNP'] },
      '3 rows have values not among the choices, e.g. “Green”: rows 2, 5, 10',
      [2, 5, 10],
      'choices',
    ],
  ])(
    'refuses %s, naming the rows, and changes nothing',
    async (_, spec, raw, changes, message, rowIds, field) => {
      const table = await newTable(spec, raw)
      const before = await getTableById(database.db, table.id)
      const error = await updateColumn(
        database.db,
        table,
        table.columns[0]?.id ?? 0,
        changes,
      ).catch((e: unknown) => e)
      expect(error).toBeInstanceOf(ConstraintError)
      expect(error).toMatchObject({ message, rowIds, field })
      expect(await getTableById(database.db, table.id)).toEqual(before)
      expect(await values(table)).toEqual(raw.map((value) => value || null))
    },
  )
})

describe('adding and removing constraints', () => {
  it('makes a column required, then optional, in the database', async () => {
    const table = await newTable({ name: 'Party', type: 'text' }, ['Labour'])
    const id = table.columns[0]?.id ?? 0
    const required = await updateColumn(database.db, table, id, { required: true })
    expect([required.columns[0]?.required, await notNull(required)]).toEqual([true, true])
    await expect(appendWithout(required)).rejects.toThrow(ImportError)
    const optional = await updateColumn(database.db, required, id, { required: false })
    expect(await notNull(optional)).toBe(false)
    await appendWithout(optional)
    expect(await values(optional)).toEqual(['Labour', null])
  })

  it('makes a column unique, then not, in the database', async () => {
    const table = await newTable({ name: 'Party', type: 'text' }, ['Labour', '', ''])
    const id = table.columns[0]?.id ?? 0
    const unique = await updateColumn(database.db, table, id, { unique: true })
    expect(unique.columns[0]?.unique).toBe(true)
    await expect(append(unique, ['Labour'])).rejects.toThrow(/already used by another row/)
    const notUnique = await updateColumn(database.db, unique, id, { unique: false })
    await append(notUnique, ['Labour'])
    expect(await values(notUnique)).toEqual(['Labour', null, null, 'Labour'])
  })

  it('widens and narrows choices, keeping the CHECK in step', async () => {
    const table = await newTable({ name: 'Party', type: 'choice', choices: ['Labour'] }, ['Labour'])
    const id = table.columns[0]?.id ?? 0
    const wider = await updateColumn(database.db, table, id, {
      choices: ['Labour', 'Green', 'SNP'],
    })
    expect(wider.columns[0]?.choices).toEqual(['Labour', 'Green', 'SNP'])
    await append(wider, ['Green'])
    const narrower = await updateColumn(database.db, wider, id, { choices: ['Labour', 'Green'] })
    await expect(append(narrower, ['SNP'])).rejects.toThrow(ImportError)
    const renamed = await updateColumn(database.db, narrower, id, { name: 'Parties' })
    expect(renamed.columns[0]).toMatchObject({ slug: 'parties', choices: ['Labour', 'Green'] })
    expect(await values(renamed)).toEqual(['Labour', 'Green'])
  })

  it('sets, changes and drops a default; new rows take it', async () => {
    const table = await newTable({ name: 'Votes', type: 'integer' }, ['1'])
    const id = table.columns[0]?.id ?? 0
    const withDefault = await updateColumn(database.db, table, id, { defaultValue: ' 10 ' })
    expect(withDefault.columns[0]?.defaultValue).toBe('10')
    const changed = await updateColumn(database.db, withDefault, id, { defaultValue: '20' })
    await appendWithout(changed)
    const dropped = await updateColumn(database.db, changed, id, { defaultValue: null })
    expect(dropped.columns[0]?.defaultValue).toBeNull()
    await appendWithout(dropped)
    expect(await values(dropped)).toEqual(['1', '20', null])
  })

  it('refuses a default that narrowed choices leave out', async () => {
    const spec: ColumnSpec = { name: 'P', type: 'choice', choices: ['a', 'b'], defaultValue: 'b' }
    const table = await newTable(spec, ['a'])
    await expect(
      updateColumn(database.db, table, table.columns[0]?.id ?? 0, { choices: ['a'] }),
    ).rejects.toMatchObject({ message: 'Must be one of the listed choices', field: 'defaultValue' })
  })

  it('names the rule that rows break when two are added at once', async () => {
    const table = await newTable({ name: 'Party', type: 'text' }, ['Green', 'Green'])
    const id = table.columns[0]?.id ?? 0
    await expect(
      updateColumn(database.db, table, id, { required: true, unique: true }),
    ).rejects.toMatchObject({ message: '“Green” is repeated in rows 1, 2', field: 'unique' })
  })

  it('refuses to make values too long to index unique', async () => {
    const long = randomBytes(6000).toString('hex')
    const table = await newTable({ name: 'Notes', type: 'long_text' }, [long, 'short'])
    const id = table.columns[0]?.id ?? 0
    await expect(updateColumn(database.db, table, id, { unique: true })).rejects.toMatchObject({
      message: 'Some values are too long to index (over about 2,700 bytes)',
      field: 'unique',
    })
    expect((await getTableById(database.db, table.id))?.columns[0]?.unique).toBe(false)
    await expect(updateColumn(database.db, table, id, { type: 'text' })).rejects.toMatchObject({
      field: 'type',
    })
    expect((await getTableById(database.db, table.id))?.columns[0]?.type).toBe('long_text')
  })

  it('passes on a failure that is not about existing rows', async () => {
    const table = await newTable({ name: 'Party', type: 'text' }, ['Labour'])
    const column = table.columns[0] as ColumnInfo
    const change = { tableId: table.id, before: column, after: column, value: sql`null` }
    await expect(
      database.db
        .transaction()
        .execute((trx) => alterCheckingConstraints(trx, [sql`select 1 / 0`], change)),
    ).rejects.toThrow(/division by zero/)
  })

  it('leaves a table unchanged when nothing changes', async () => {
    const table = await newTable({ name: 'Party', type: 'text' }, ['Labour'])
    const same = await updateColumn(database.db, table, table.columns[0]?.id ?? 0, {})
    expect(same.columns).toEqual(table.columns)
  })
})
