import { setFlagsFromString } from 'node:v8'
import { runInNewContext } from 'node:vm'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { CsvRecord } from '../csv/index.js'
import type { Database } from '../db/database.js'
import { createTestDatabase } from '../test/database.js'
import { getTableById } from './catalog.js'
import { csvExport, EXPORT_BATCH_ROWS, exportRows, jsonExport } from './export.js'
import { importNewTable } from './import.js'
import { listRows } from './rows.js'
import type { ColumnSpec, Row, TableInfo } from './types.js'

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

describe('exportRows', () => {
  it('streams every matching row in the same order as the table page', async () => {
    const query = {
      search: 'E',
      order: { column: people.columns[1] ?? null, descending: true },
    }
    const page = await listRows(database.db, people, {
      ...query,
      page: 1,
      perPage: 100,
      cellChars: null,
    })
    const batches = await collect(exportRows(database.db, people, query))
    expect(batches).toHaveLength(1)
    expect(batches.flat()).toEqual(page.rows)
    expect(batches.flat().map((row) => row.id)).toEqual([5, 1, 2])
  })

  it('yields no batches when nothing matches', async () => {
    expect(
      await collect(exportRows(database.db, people, { search: 'nobody', order: null })),
    ).toEqual([])
  })
})

describe('csvExport', () => {
  it('writes a header of column names, then the values as text, NULL as an empty field', async () => {
    const batches = exportRows(database.db, people, { search: '', order: null })
    const csv = (await collect(csvExport(people, batches))).join('')
    expect(csv).toBe(
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
})

describe('jsonExport', () => {
  it('writes one array of objects keyed by id and column slug, with JSON types', async () => {
    const batches = exportRows(database.db, people, { search: '', order: null })
    const json = JSON.parse((await collect(jsonExport(people, batches))).join(''))
    expect(json).toEqual([
      { id: 1, name: 'Ada Lovelace', votes: 36, member: true, data: { langs: ['en'] } },
      { id: 2, name: 'Bob "the builder", Jr', votes: null, member: false, data: null },
      { id: 3, name: 'Cy\nSmith', votes: 12, member: null, data: [1, 2] },
      { id: 4, name: 'ada b', votes: 12, member: true, data: null },
      { id: 5, name: 'Zed', votes: '99999999999999999', member: false, data: 'x' },
    ])
  })

  it('writes an empty array for no rows, and skips empty batches', async () => {
    async function* batches(...list: Row[][]) {
      yield* list
    }
    expect((await collect(jsonExport(people, batches()))).join('')).toBe('[]\n')
    const one = { id: 7, version: 1, cells: ['A', null, null, null] }
    const text = (await collect(jsonExport(people, batches([], [one], [])))).join('')
    expect(text).toBe('[\n{"id":7,"name":"A","votes":null,"member":null,"data":null}\n]\n')
  })
})

describe('a large export', () => {
  let rows: number
  let big: TableInfo

  beforeAll(async () => {
    // PGlite loads more slowly; 100,000 rows is still twenty batches.
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

  it('arrives in batches of 5,000 while the heap it keeps stays flat', async () => {
    expect((await getTableById(database.db, big.id))?.rowCount).toBe(rows)
    // The same trick as Jest's leak detector: a real collection, so only retained memory counts.
    setFlagsFromString('--expose-gc')
    const gc = runInNewContext('gc') as () => void
    gc()
    const before = process.memoryUsage().heapUsed
    let retained = 0
    let count = 0
    let sum = 0
    const sizes = new Set<number>()
    for await (const batch of exportRows(database.db, big, { search: '', order: null })) {
      sizes.add(batch.length)
      count += batch.length
      for (const row of batch) sum += Number(row.cells[1])
      if ((count / EXPORT_BATCH_ROWS) % 5 === 0) {
        gc()
        retained = Math.max(retained, process.memoryUsage().heapUsed - before)
      }
    }
    expect(count).toBe(rows)
    expect(sum).toBe((rows * (rows + 1)) / 2)
    expect([...sizes]).toEqual([EXPORT_BATCH_ROWS])
    // Holding every row would keep about 24 MB per 100,000 rows; one batch is about 1 MB.
    expect(retained).toBeLessThan(16 * 1024 * 1024)
  })

  it('frees the connection when the consumer stops early', async () => {
    // More early stops than the pool (4) has connections: a leak would hang the next query.
    for (let attempt = 0; attempt < 6; attempt++) {
      const batches = exportRows(database.db, big, { search: '', order: null })
      const first = await batches.next()
      expect(first.value).toHaveLength(EXPORT_BATCH_ROWS)
      await batches.return(undefined)
    }
    for await (const _ of exportRows(database.db, big, { search: 'Row 7 ', order: null })) break
    const page = await listRows(database.db, big, { search: '', order: null, page: 2, perPage: 2 })
    expect(page.rows.map((row) => row.id)).toEqual([3, 4])
  })
})
