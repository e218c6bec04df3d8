import { sql } from 'kysely'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { CsvRecord } from '../csv/index.js'
import type { Database } from '../db/database.js'
import { createTestDatabase } from '../test/database.js'
import { getTableById } from './catalog.js'
import type { ColumnType } from './column-types.js'
import { ColumnChangeError, ConversionError, updateColumn } from './columns.js'
import { appendRecords, ImportError, importNewTable } from './import.js'
import { DATA_SCHEMA, physicalColumnName, physicalTableName } from './names.js'
import { listRows } from './rows.js'
import type { ColumnSpec, TableInfo } from './types.js'

let database: Database
let ownerId: number
let tableCount = 0
beforeAll(async () => {
  database = await createTestDatabase()
  const owner = await database.db
    .insertInto('users')
    .values({ username: 'conversion', github_id: null })
    .returning('id')
    .executeTakeFirstOrThrow()
  ownerId = owner.id
})
afterAll(() => database.close())

async function* records(rows: string[][]): AsyncGenerator<CsvRecord> {
  for (const [index, fields] of rows.entries()) yield { line: index + 2, fields }
}

async function newTable(column: ColumnSpec, values: string[]): Promise<TableInfo> {
  const name = `Table ${++tableCount}`
  const rows = values.map((value) => [value])
  return (await importNewTable(database, { ownerId, name, columns: [column] }, records(rows))).table
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

// The real column: its Postgres type, NOT NULL, default and constraints.
async function physical(table: TableInfo) {
  const column = physicalColumnName(table.columns[0]?.id ?? 0)
  const { rows } = await sql<{ type: string; not_null: boolean; default: string | null }>`
    select format_type(a.atttypid, a.atttypmod) as type, a.attnotnull as not_null,
      pg_get_expr(d.adbin, d.adrelid) as default
    from pg_attribute a left join pg_attrdef d on d.adrelid = a.attrelid and d.adnum = a.attnum
    where a.attrelid = ${`${DATA_SCHEMA}.${physicalTableName(table.id)}`}::regclass
      and a.attname = ${column}
  `.execute(database.db)
  const indexes = await sql<{ name: string }>`
    select indexname as name from pg_indexes
    where schemaname = ${DATA_SCHEMA} and tablename = ${physicalTableName(table.id)}
      and indexname like ${`%${column}%`} order by indexname
  `.execute(database.db)
  const constraints = await sql<{ name: string }>`
    select conname as name from pg_constraint
    where conrelid = ${`${DATA_SCHEMA}.${physicalTableName(table.id)}`}::regclass and contype <> 'p'
    order by conname
  `.execute(database.db)
  return {
    ...rows[0],
    constraints: constraints.rows.map((row) => row.name),
    indexes: indexes.rows.map((row) => row.name),
  }
}

type Case = [ColumnType, string[], ColumnType, (string | null)[], string[]?]

describe('changing the type converts every value', () => {
  it.each<Case>([
    ['text', [' 42 ', '-7', '', '+3'], 'integer', ['42', '-7', null, '3']],
    ['integer', ['42', '-7', ''], 'text', ['42', '-7', null]],
    ['text', ['yes', 'No', '', 'T', '0'], 'boolean', ['true', 'false', null, 'true', 'false']],
    ['text', ['2017-06-08', '2016-02-29'], 'date', ['2017-06-08', '2016-02-29']],
    ['text', ['{"a":1}', '[1, 2]', '"s"', 'null'], 'json', ['{"a": 1}', '[1, 2]', '"s"', 'null']],
    ['text', ['1.50', '-2', '1e3'], 'decimal', ['1.50', '-2', '1000']],
    [
      'text',
      ['2017-06-08 22:00', '2017-06-08T23:30:00+01:00'],
      'datetime',
      ['2017-06-08T22:00:00Z', '2017-06-08T22:30:00Z'],
    ],
    ['datetime', ['2017-06-08 22:00:59.5'], 'text', ['2017-06-08T22:00:59Z']],
    ['date', ['2017-06-08'], 'long_text', ['2017-06-08']],
    ['decimal', ['2', '-3', '0'], 'integer', ['2', '-3', '0']],
    ['integer', ['2', '-3'], 'decimal', ['2', '-3']],
    ['integer', ['1', '0'], 'boolean', ['true', 'false']],
    ['boolean', ['yes', 'no'], 'text', ['true', 'false']],
    ['json', ['{"b": [1, 2]}', '42'], 'text', ['{"b": [1, 2]}', '42']],
    ['json', ['42', '-1'], 'integer', ['42', '-1']],
    ['integer', ['42', ''], 'json', ['42', null]],
    ['text', [], 'json', []],
    ['long_text', ['  padded  ', 'x'], 'text', ['padded', 'x']],
    ['text', ['Labour', 'Green', ''], 'choice', ['Labour', 'Green', null], ['Labour', 'Green']],
    ['choice', ['Labour'], 'text', ['Labour'], ['Labour']],
    ['text', ['a@b.co'], 'email', ['a@b.co']],
    ['text', ['https://x.org'], 'url', ['https://x.org']],
  ])('%s %j → %s %j', async (from, raw, to, expected, choices) => {
    const table = await newTable({ name: 'Value', type: from, choices: choices ?? null }, raw)
    const changed = await updateColumn(database.db, table, table.columns[0]?.id ?? 0, {
      type: to,
      choices: to === 'choice' ? (choices ?? null) : undefined,
    })
    expect(changed.columns[0]?.type).toBe(to)
    expect(await values(changed)).toEqual(expected)
  })
})

describe('a type change that some values refuse changes nothing', () => {
  it.each<[ColumnType, string[], ColumnType, number, [number, string][], string]>([
    [
      'decimal',
      ['1.5', '2', '2.25'],
      'integer',
      2,
      [
        [1, '1.5'],
        [3, '2.25'],
      ],
      '2 values would not convert to Integer, e.g. row 1: “1.5”',
    ],
    [
      'text',
      ['nope', 'a@b.co'],
      'email',
      1,
      [[1, 'nope']],
      '1 value would not convert to Email, e.g. row 1: “nope”',
    ],
    [
      'text',
      ['1', 'abc', '2', 'x', 'y', '3', 'z', '4.5', 'w', 'v', '5', '6'],
      'integer',
      7,
      [
        [2, 'abc'],
        [4, 'x'],
        [5, 'y'],
        [7, 'z'],
        [8, '4.5'],
      ],
      '7 values would not convert to Integer, e.g. row 2: “abc”',
    ],
    [
      'text',
      ['{"ok": 1}', '{bad'],
      'json',
      1,
      [[2, '{bad']],
      '1 value would not convert to JSON, e.g. row 2: “{bad”',
    ],
    [
      'text',
      ['2017-02-30'],
      'date',
      1,
      [[1, '2017-02-30']],
      '1 value would not convert to Date, e.g. row 1: “2017-02-30”',
    ],
    [
      'text',
      ['maybe'],
      'boolean',
      1,
      [[1, 'maybe']],
      '1 value would not convert to Yes / no, e.g. row 1: “maybe”',
    ],
    [
      'date',
      ['2017-06-08'],
      'datetime',
      1,
      [[1, '2017-06-08']],
      '1 value would not convert to Date and time, e.g. row 1: “2017-06-08”',
    ],
    [
      'email',
      ['a@b.co'],
      'url',
      1,
      [[1, 'a@b.co']],
      '1 value would not convert to URL, e.g. row 1: “a@b.co”',
    ],
    [
      'text',
      ['x'.repeat(150)],
      'url',
      1,
      [[1, `${'x'.repeat(100)}…`]],
      `1 value would not convert to URL, e.g. row 1: “${'x'.repeat(100)}…”`,
    ],
  ])('%s %j → %s', async (from, raw, to, failures, samples, message) => {
    const table = await newTable({ name: 'Value', type: from, unique: true }, raw)
    const before = {
      catalog: await getTableById(database.db, table.id),
      data: await values(table),
      db: await physical(table),
    }
    const error = await updateColumn(database.db, table, table.columns[0]?.id ?? 0, {
      type: to,
    }).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(ConversionError)
    expect(error).toBeInstanceOf(ColumnChangeError)
    expect(error).toMatchObject({
      message,
      field: 'type',
      failures,
      samples: samples.map(([rowId, value]) => ({ rowId, value })),
    })
    const catalog = await getTableById(database.db, table.id)
    expect({ catalog, data: await values(table), db: await physical(table) }).toEqual(before)
  })

  it('refuses a text → choice change where a value is not a choice', async () => {
    const table = await newTable({ name: 'Party', type: 'text' }, ['Labour', 'Green'])
    const error = await updateColumn(database.db, table, table.columns[0]?.id ?? 0, {
      type: 'choice',
      choices: ['Labour'],
    }).catch((e: unknown) => e)
    expect(error).toMatchObject({ failures: 1, samples: [{ rowId: 2, value: 'Green' }] })
  })

  it('finds JSON failures across batches', async () => {
    const raw = Array.from({ length: 12_000 }, (_, i) => (i % 2000 === 1999 ? `{${i}` : `${i}`))
    const table = await newTable({ name: 'Value', type: 'text' }, raw)
    const error = await updateColumn(database.db, table, table.columns[0]?.id ?? 0, {
      type: 'json',
    }).catch((e: unknown) => e)
    expect(error).toMatchObject({
      failures: 6,
      samples: [2000, 4000, 6000, 8000, 10000].map((rowId) => ({ rowId, value: `{${rowId - 1}` })),
    })
  })
})

describe('constraints and defaults after a type change', () => {
  it('re-creates NOT NULL, UNIQUE, CHECK and the default for the new type', async () => {
    const table = await newTable(
      { name: 'Code', type: 'text', required: true, unique: true, defaultValue: '7' },
      ['1', '2'],
    )
    const id = table.columns[0]?.id ?? 0
    const t = physicalTableName(table.id)
    const c = physicalColumnName(id)
    const asInteger = await updateColumn(database.db, table, id, { type: 'integer' })
    expect(asInteger.columns[0]).toMatchObject({
      type: 'integer',
      required: true,
      unique: true,
      defaultValue: '7',
    })
    expect(await physical(asInteger)).toEqual({
      type: 'bigint',
      not_null: true,
      default: "'7'::bigint",
      constraints: [`${t}_${c}_key`],
      indexes: [`${t}_${c}_key`, `${t}_${c}_sort`],
    })
    const asChoice = await updateColumn(database.db, asInteger, id, {
      type: 'choice',
      choices: ['1', '2', '7'],
      unique: false,
    })
    expect(await physical(asChoice)).toEqual({
      type: 'text',
      not_null: true,
      default: "'7'::text",
      constraints: [`${t}_${c}_check`],
      indexes: [`${t}_${c}_sort`, `${t}_${c}_trgm`],
    })
    await expect(
      appendRecords(database, asChoice, records([['9']]), asChoice.columns),
    ).rejects.toThrow(ImportError)
    const asEmail = await updateColumn(database.db, asChoice, id, {
      type: 'text',
      defaultValue: null,
    })
    expect(await physical(asEmail)).toEqual({
      type: 'text',
      not_null: true,
      default: null,
      constraints: [],
      indexes: [`${t}_${c}_sort`, `${t}_${c}_trgm`],
    })
    expect(await values(asEmail)).toEqual(['1', '2'])
  })

  it('refuses a type the default does not fit, changing nothing', async () => {
    const table = await newTable({ name: 'Code', type: 'text', defaultValue: 'abc' }, ['1'])
    const id = table.columns[0]?.id ?? 0
    await expect(updateColumn(database.db, table, id, { type: 'integer' })).rejects.toMatchObject({
      message: 'Must be a whole number',
      field: 'defaultValue',
    })
    const changed = await updateColumn(database.db, table, id, {
      type: 'integer',
      defaultValue: '5',
    })
    expect(changed.columns[0]).toMatchObject({ type: 'integer', defaultValue: '5' })
  })
})
