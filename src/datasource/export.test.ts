import { setFlagsFromString } from 'node:v8'
import { runInNewContext } from 'node:vm'
import { sql } from 'kysely'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { CsvRecord } from '../csv/index.js'
import type { Database } from '../db/database.js'
import { createTestDatabase } from '../test/database.js'
import { getTableById } from './catalog.js'
import { type ExportFormat, exportFile } from './export.js'
import { importNewTable } from './import.js'
import type { RowSelection } from './list-rows.js'
import { columnRef, tableRef } from './names.js'
import { listRows } from './rows.js'
import { createTable } from './tables.js'
import type { ColumnSpec, TableInfo } from './types.js'

let database: Database
let ownerId: number
let people: TableInfo
beforeAll(async () => {
  database = await createTestDatabase()
  const user = await database.db
    .insertInto('users')
    .values({ username: 'ada', github_id: null })
    .returning('id')
    .executeTakeFirstOrThrow()
  ownerId = user.id
  people = await load('People', PEOPLE, records(PEOPLE_ROWS))
})
afterAll(() => database.close())

async function* records(rows: Iterable<string[]>): AsyncGenerator<CsvRecord> {
  let line = 2
  for (const fields of rows) yield { line: line++, fields }
}

async function load(name: string, columns: ColumnSpec[], rows: AsyncIterable<CsvRecord>) {
  return (await importNewTable(database, { ownerId, name, columns }, rows)).table
}

async function collect<T>(items: AsyncIterable<T>): Promise<T[]> {
  const all: T[] = []
  for await (const item of items) all.push(item)
  return all
}

const PEOPLE: ColumnSpec[] = [
  { name: 'Name', type: 'text' },
  { name: 'Votes', type: 'integer' },
  { name: 'Member', type: 'boolean' },
  { name: 'Data', type: 'json' },
]
const PEOPLE_ROWS = [
  ['Ada Lovelace', '36', 'yes', '{"langs":["en"]}'],
  ['Bob "the builder", Jr', '', 'no', ''],
  ['Cy\nSmith', '12', '', '[1,2]'],
  ['ada b', '12', 'yes', 'null'],
  ['Zed', '99999999999999999', 'no', '"x"'],
]

const ALL: RowSelection = { search: '', order: null }

async function text(table: TableInfo, query: RowSelection, format: ExportFormat) {
  const chunks = await collect(exportFile(database, table, query, format))
  return Buffer.concat(chunks).toString('utf8')
}

describe('exportFile', () => {
  it('writes the rows of the page’s search and order, as the table page lists them', async () => {
    const query = { search: 'E', order: { column: people.columns[1] ?? null, descending: true } }
    const page = await listRows(database.db, people, {
      ...query,
      page: 1,
      perPage: 100,
      cellChars: null,
    })
    expect(page.rows.map((row) => row.id)).toEqual([5, 1, 2])
    const json = JSON.parse(await text(people, query, 'json')) as { id: number }[]
    expect(json.map((row) => row.id)).toEqual([5, 1, 2])
    const csv = await text(people, query, 'csv')
    expect(csv.split('\n').map((line) => line.split(',')[0])).toEqual([
      'Name',
      'Zed',
      'Ada Lovelace',
      '"Bob ""the builder""',
      '',
    ])
  })

  it('writes a header of column names, then the values as text, NULL as an empty field', async () => {
    expect(await text(people, ALL, 'csv')).toBe(
      [
        'Name,Votes,Member,Data\n',
        'Ada Lovelace,36,true,"{""langs"": [""en""]}"\n',
        '"Bob ""the builder"", Jr",,false,\n',
        '"Cy\nSmith",12,,"[1, 2]"\n',
        'ada b,12,true,null\n',
        'Zed,99999999999999999,false,"""x"""\n',
      ].join(''),
    )
  })

  it('writes one array of objects keyed by id and column slug, with JSON types', async () => {
    expect(JSON.parse(await text(people, ALL, 'json'))).toEqual([
      { id: 1, name: 'Ada Lovelace', votes: 36, member: true, data: { langs: ['en'] } },
      { id: 2, name: 'Bob "the builder", Jr', votes: null, member: false, data: null },
      { id: 3, name: 'Cy\nSmith', votes: 12, member: null, data: [1, 2] },
      { id: 4, name: 'ada b', votes: 12, member: true, data: null },
      { id: 5, name: 'Zed', votes: '99999999999999999', member: false, data: 'x' },
    ])
    const one = await text(people, { search: 'zed', order: null }, 'json')
    expect(one).toBe(
      '[\n{"id":5,"name":"Zed","votes":"99999999999999999","member":false,"data":"x"}\n]\n',
    )
  })

  it.each([
    ['a quote: Bob "the', 'Bob'],
    ["an apostrophe and a backslash: '\\", null],
    ['a percent sign, matched literally: 100%', null],
    ["a statement: '); drop table users; --", null],
  ])('searches for %s as a literal', async (search, found) => {
    const term = search.slice(search.indexOf(': ') + 2)
    const csv = await text(people, { search: term, order: null }, 'csv')
    expect(
      csv
        .split('\n')
        .slice(1, -1)
        .map((line) => line.slice(1, 4)),
    ).toEqual(found ? [found] : [])
  })

  it('writes only a header, or an empty array, when nothing matches', async () => {
    const none = { search: 'nobody', order: null }
    expect(await text(people, none, 'csv')).toBe('Name,Votes,Member,Data\n')
    expect(await text(people, none, 'json')).toBe('[]\n')
  })

  it('keeps NULL and "" apart, and every type in its JSON form', async () => {
    const columns: ColumnSpec[] = [
      { name: 'Say "hi", \\o/ it\'s', type: 'text' },
      { name: 'Long', type: 'long_text' },
      { name: 'Price', type: 'decimal' },
      { name: 'When', type: 'datetime' },
      { name: 'Day', type: 'date' },
      { name: 'Site', type: 'url' },
      { name: 'Mail', type: 'email' },
    ]
    const values = [
      [
        '',
        'line\u0001\ttab',
        '-0.50',
        '2024-01-02T03:04:05Z',
        '2024-02-29',
        'https://a.example/?q=1',
        'a@b.example',
      ],
      ['', '', '', '', '', '', ''],
      ['\\N', ' padded ', '12345678901234567890.123', '', '', '', ''],
    ]
    const kinds = await load('Kinds', columns, records(values))
    await sql`update ${tableRef(kinds.id)} set ${columnRef(kinds.columns[0]?.id ?? 0)} = '' where id = 1`.execute(
      database.db,
    )
    const csv = await text(kinds, ALL, 'csv')
    expect(csv).toBe(
      [
        '"Say ""hi"", \\o/ it\'s",Long,Price,When,Day,Site,Mail\n',
        '"",line\u0001\ttab,-0.50,2024-01-02T03:04:05Z,2024-02-29,https://a.example/?q=1,a@b.example\n',
        ',,,,,,\n',
        '\\N, padded ,12345678901234567890.123,,,,\n',
      ].join(''),
    )
    expect(JSON.parse(await text(kinds, ALL, 'json'))).toEqual([
      {
        id: 1,
        [kinds.columns[0]?.slug ?? '']: '',
        long: 'line\u0001\ttab',
        price: -0.5,
        when: '2024-01-02T03:04:05Z',
        day: '2024-02-29',
        site: 'https://a.example/?q=1',
        mail: 'a@b.example',
      },
      {
        id: 2,
        [kinds.columns[0]?.slug ?? '']: null,
        long: null,
        price: null,
        when: null,
        day: null,
        site: null,
        mail: null,
      },
      {
        id: 3,
        [kinds.columns[0]?.slug ?? '']: '\\N',
        long: ' padded ',
        price: Number('12345678901234567890.123'),
        when: null,
        day: null,
        site: null,
        mail: null,
      },
    ])
    // Every digit of a decimal is written, as a JSON number.
    expect(await text(kinds, ALL, 'json')).toContain('"price":12345678901234567890.123,')
  })
})

describe('a table without columns', () => {
  it('writes an empty line, or an object with the id alone, per row', async () => {
    const bare = await createTable(database.db, { ownerId, name: 'Bare', columns: [] })
    await sql`insert into ${tableRef(bare.id)} default values`.execute(database.db)
    expect(await text(bare, ALL, 'csv')).toBe('\n\n')
    expect(await text(bare, ALL, 'json')).toBe('[\n{"id":1}\n]\n')
  })
})

describe('a large export', () => {
  let rows: number
  let big: TableInfo

  beforeAll(async () => {
    rows = database.kind === 'pglite' ? 100_000 : 200_000
    function* fields() {
      for (let n = 1; n <= rows; n++) yield [`Row ${n} ${'x'.repeat(60)}`, String(n)]
    }
    const columns: ColumnSpec[] = [
      { name: 'Label', type: 'text' },
      { name: 'N', type: 'integer' },
    ]
    big = await load('Big', columns, records(fields()))
  }, 60_000)

  it('arrives in chunks of at most about 64 kB while the heap it keeps stays flat', async () => {
    expect((await getTableById(database.db, big.id))?.rowCount).toBe(rows)
    // The same trick as Jest's leak detector: a real collection, so only retained memory counts.
    setFlagsFromString('--expose-gc')
    const gc = runInNewContext('gc') as () => void
    gc()
    const before = process.memoryUsage().heapUsed
    let retained = 0
    let lines = 0
    let bytes = 0
    let chunks = 0
    let largest = 0
    for await (const chunk of exportFile(database, big, ALL, 'csv')) {
      chunks++
      bytes += chunk.length
      largest = Math.max(largest, chunk.length)
      for (let i = chunk.indexOf(10); i !== -1; i = chunk.indexOf(10, i + 1)) lines++
      if (chunks % 100 === 0) {
        gc()
        retained = Math.max(retained, process.memoryUsage().heapUsed - before)
      }
    }
    expect(lines).toBe(rows + 1)
    expect(chunks).toBeGreaterThan(bytes / (256 * 1024))
    expect(largest).toBeLessThan(256 * 1024)
    // The whole file is about 8 MB per 100,000 rows.
    expect(retained).toBeLessThan(4 * 1024 * 1024)
  })

  it('stops the query and frees the connection when the reader stops early', async () => {
    // More early stops than the pool (4) has connections: a leak would hang the next query.
    for (let attempt = 0; attempt < 6; attempt++) {
      const chunks = exportFile(database, big, ALL, attempt % 2 ? 'csv' : 'json')
      await chunks.next()
      const second = await chunks.next()
      expect(second.value?.length).toBeGreaterThan(0)
      await chunks.return(undefined)
    }
    if (database.kind === 'postgres') {
      const { rows: running } = await sql<{ n: number }>`select count(*)::int as n
        from pg_stat_activity where datname = current_database() and query ilike 'copy%'
        and state <> 'idle'`.execute(database.db)
      expect(running[0]?.n).toBe(0)
    }
    const page = await listRows(database.db, big, { search: '', order: null, page: 2, perPage: 2 })
    expect(page.rows.map((row) => row.id)).toEqual([3, 4])
  })
})
