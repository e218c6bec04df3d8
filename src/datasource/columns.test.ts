import { sql } from 'kysely'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { CsvRecord } from '../csv/index.js'
import type { Database } from '../db/database.js'
import { createTestDatabase } from '../test/database.js'
import { getTableById } from './catalog.js'
import type { ColumnType } from './column-types.js'
import { addColumn, ColumnChangeError } from './columns.js'
import { appendRecords, importNewTable } from './import.js'
import { DATA_SCHEMA, physicalColumnName, physicalTableName } from './names.js'
import { getRow, listRows } from './rows.js'
import { createTable, MAX_COLUMNS } from './tables.js'
import type { ColumnInfo, ColumnSpec, TableInfo } from './types.js'

let database: Database
let ownerId: number
let tableCount = 0
beforeAll(async () => {
  database = await createTestDatabase()
  const owner = await database.db
    .insertInto('users')
    .values({ username: 'columns', github_id: null })
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

async function cells(table: TableInfo, column: ColumnInfo | null = null, descending = false) {
  const order = column ? { column, descending } : null
  const page = await listRows(database.db, table, { search: '', order, page: 1, perPage: 100 })
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

const LABELS = [{ name: 'Label', type: 'text' as const }]

// Two values for each type (the second sorts first), how they read back, and a term that finds the first.
const TYPE_CASES: {
  type: ColumnType
  raw: [string, string]
  stored: [string, string]
  term: string
  choices?: string[]
}[] = [
  { type: 'text', raw: [' beta ', 'alpha'], stored: ['beta', 'alpha'], term: 'et' },
  {
    type: 'long_text',
    raw: ['line one\nline two ', 'a'],
    stored: ['line one\nline two ', 'a'],
    term: 'two',
  },
  { type: 'integer', raw: [' 42 ', '-7'], stored: ['42', '-7'], term: '42' },
  { type: 'decimal', raw: ['2.50', '-0.5'], stored: ['2.50', '-0.5'], term: '2.5' },
  { type: 'boolean', raw: ['yes', 'No'], stored: ['true', 'false'], term: 'true' },
  {
    type: 'date',
    raw: ['2017-06-08', '2015-05-07'],
    stored: ['2017-06-08', '2015-05-07'],
    term: '2017',
  },
  {
    type: 'datetime',
    raw: ['2017-06-08 22:00', '2015-05-07T10:30:00+01:00'],
    stored: ['2017-06-08T22:00:00Z', '2015-05-07T09:30:00Z'],
    term: '2017',
  },
  {
    type: 'choice',
    raw: ['Labour', 'Green'],
    stored: ['Labour', 'Green'],
    term: 'abo',
    choices: ['Labour', 'Green'],
  },
  { type: 'email', raw: ['b@x.org', 'a@x.org'], stored: ['b@x.org', 'a@x.org'], term: 'b@' },
  {
    type: 'url',
    raw: ['https://b.org', 'http://a.org'],
    stored: ['https://b.org', 'http://a.org'],
    term: 'b.org',
  },
  { type: 'json', raw: ['{"a":1}', '[2]'], stored: ['{"a": 1}', '[2]'], term: 'a' },
]

describe('addColumn', () => {
  it.each(TYPE_CASES)(
    'adds a $type column that stores, sorts and searches its values',
    async (c) => {
      const table = await newTable(LABELS, [['r1'], ['r2'], ['r3']])
      const added = await addColumn(database.db, table, {
        name: `My ${c.type}`,
        type: c.type,
        choices: c.choices ?? null,
      })
      const column = added.columns[1] as ColumnInfo
      expect(column).toMatchObject({ slug: `my_${c.type}`, type: c.type, position: 2 })
      expect(await cells(added)).toEqual([
        ['r1', null],
        ['r2', null],
        ['r3', null],
      ])

      const rows = [
        ['r4', c.raw[0]],
        ['r5', c.raw[1]],
        ['r6', ''],
      ]
      await appendRecords(database, added, records(rows), added.columns)
      const [first, second] = c.stored
      expect((await getRow(database.db, added, 4))?.cells).toEqual(['r4', first])
      const nulls = [null, null, null, null]
      const ascending = (await cells(added, column)).map((row) => row[1])
      expect(ascending).toEqual([second, first, ...nulls])
      const descending = (await cells(added, column, true)).map((row) => row[1])
      expect(descending).toEqual([first, second, ...nulls])
      const found = await listRows(database.db, added, {
        search: c.term,
        order: null,
        page: 1,
        perPage: 10,
      })
      const searchable = ['text', 'long_text', 'choice', 'email', 'url'].includes(c.type)
      expect(found.rows.map((row) => row.id)).toEqual(searchable ? [4] : [])
    },
  )

  it('fills existing rows with the default, stored as parseValue gives it', async () => {
    const table = await newTable(LABELS, [['a'], ['b']])
    const added = await addColumn(database.db, table, {
      name: 'Votes',
      type: 'integer',
      required: true,
      defaultValue: ' +5 ',
    })
    expect(added.columns[1]).toMatchObject({ required: true, defaultValue: '5' })
    expect(await cells(added)).toEqual([
      ['a', '5'],
      ['b', '5'],
    ])
    expect(added.updatedAt.getTime()).toBeGreaterThanOrEqual(table.updatedAt.getTime())
  })

  it('indexes the new column as a column made with the table would be', async () => {
    const table = await newTable(LABELS, [['a']])
    const added = await addColumn(database.db, table, { name: 'Party', type: 'text' })
    const column = physicalColumnName(added.columns[1]?.id ?? 0)
    const { rows } = await sql<{ name: string }>`
      select indexname as name from pg_indexes
      where schemaname = ${DATA_SCHEMA} and indexname like ${`%${column}%`} order by indexname
    `.execute(database.db)
    const prefix = `${physicalTableName(table.id)}_${column}`
    expect(rows.map((row) => row.name)).toEqual([`${prefix}_sort`, `${prefix}_trgm`])
  })

  it('adds the first column to a table that has none', async () => {
    const table = await createTable(database.db, { ownerId, name: 'Empty', columns: [] })
    const added = await addColumn(database.db, table, { name: 'First', type: 'text' })
    expect(added.columns.map((c) => [c.position, c.slug])).toEqual([[1, 'first']])
  })

  it('gives a unique slug and trims the name', async () => {
    const table = await newTable([{ name: 'Party', type: 'text' }])
    const added = await addColumn(database.db, table, { name: '  Party  ', type: 'text' })
    expect(added.columns.map((c) => [c.name, c.slug])).toEqual([
      ['Party', 'party'],
      ['Party', 'party_2'],
    ])
    const id = await addColumn(database.db, added, { name: 'ID', type: 'integer' })
    expect(id.columns[2]?.slug).toBe('id_2')
  })

  it('adds a unique column with a default to a table of one row', async () => {
    const table = await newTable(LABELS, [['a']])
    const added = await addColumn(database.db, table, {
      name: 'Code',
      type: 'text',
      unique: true,
      defaultValue: 'x',
    })
    expect(await cells(added)).toEqual([['a', 'x']])
  })

  it.each<[string, ColumnSpec, string, string | null]>([
    ['a blank name', { name: '   ', type: 'text' }, 'Give the column a name', 'name'],
    [
      'a long name',
      { name: 'x'.repeat(101), type: 'text' },
      'A column name can be at most 100 characters',
      'name',
    ],
    ['an unknown type', { name: 'X', type: 'money' as ColumnType }, 'Pick a column type', 'type'],
    [
      'a choice without choices',
      { name: 'X', type: 'choice' },
      'Give at least one choice',
      'choices',
    ],
    [
      'too many choices',
      { name: 'X', type: 'choice', choices: Array.from({ length: 51 }, (_, i) => `c${i}`) },
      'A column can have at most 50 choices',
      'choices',
    ],
    [
      'a repeated choice',
      { name: 'X', type: 'choice', choices: ['a', ' a '] },
      '“a” is listed twice',
      'choices',
    ],
    [
      'a long choice',
      { name: 'X', type: 'choice', choices: ['y'.repeat(101)] },
      'Each choice can be at most 100 characters',
      'choices',
    ],
    [
      'a bad default',
      { name: 'X', type: 'integer', defaultValue: 'abc' },
      'Must be a whole number',
      'defaultValue',
    ],
    [
      'a default outside the choices',
      { name: 'X', type: 'choice', choices: ['a'], defaultValue: 'b' },
      'Must be one of the listed choices',
      'defaultValue',
    ],
    [
      'a NUL in the default',
      { name: 'X', type: 'text', defaultValue: 'a\u0000' },
      'Must not contain a NUL character',
      'defaultValue',
    ],
    [
      'a required column without a default',
      { name: 'X', type: 'text', required: true },
      '3 rows would have no value; give a default value',
      'defaultValue',
    ],
    [
      'a unique column with a default',
      { name: 'X', type: 'text', unique: true, defaultValue: 'same' },
      '3 rows would all get the default value, so it cannot be unique',
      'unique',
    ],
  ])('refuses %s and changes nothing', async (_, spec, message, field) => {
    const table = await newTable(LABELS, [['a'], ['b'], ['c']])
    const error = await addColumn(database.db, table, spec).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(ColumnChangeError)
    expect(error).toMatchObject({ message, field })
    expect((await getTableById(database.db, table.id))?.columns).toHaveLength(1)
    expect(await physicalColumns(table)).toEqual([
      'id',
      '_version',
      physicalColumnName(table.columns[0]?.id ?? 0),
    ])
  })

  it(`allows at most ${MAX_COLUMNS} columns`, async () => {
    const columns = Array.from({ length: MAX_COLUMNS - 1 }, (_, i) => ({
      name: `C${i}`,
      type: 'text' as const,
    }))
    const table = await createTable(database.db, { ownerId, name: 'Wide', columns })
    const full = await addColumn(database.db, table, { name: 'Last', type: 'integer' })
    expect(full.columns.at(-1)).toMatchObject({ slug: 'last', position: MAX_COLUMNS })
    await expect(addColumn(database.db, full, { name: 'More', type: 'text' })).rejects.toThrow(
      `A table can have at most ${MAX_COLUMNS} columns`,
    )
    expect((await getTableById(database.db, table.id))?.columns).toHaveLength(MAX_COLUMNS)
  })
})
