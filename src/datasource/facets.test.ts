import { sql } from 'kysely'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Database } from '../db/database.js'
import { createTestDatabase } from '../test/database.js'
import { createOwner, tableWithRows } from '../test/datasource-fixtures.js'
import { deleteColumn } from './columns.js'
import { readFacets, suggestFacets, suggestFacetsFrom } from './facets.js'
import { readFilters } from './filters.js'
import { tableRef } from './names.js'
import { getPageSettings } from './table-views.js'
import { deleteTable } from './tables.js'
import type { ColumnInfo, TableInfo } from './types.js'

let database: Database
let ownerId: number
let table: TableInfo
const PARTIES = ['Labour', 'Green', 'Tory']

// 60 rows: party cycles through three choices (every 10th empty), day over three years.
const ROWS = Array.from({ length: 60 }, (_, i) => [
  `Name ${i}`,
  i % 10 === 9 ? '' : (PARTIES[i % 3] ?? ''),
  i % 2 === 0 ? 'yes' : 'no',
  `${2015 + (i % 3)}-0${1 + (i % 9)}-1${i % 10}`,
  `${2015 + (i % 4)}-06-08T22:00Z`,
  '{"a":1}',
])

beforeAll(async () => {
  database = await createTestDatabase()
  ownerId = await createOwner(database, 'facets')
  table = await tableWithRows(
    database,
    ownerId,
    'Faceted',
    [
      { name: 'Name', type: 'text' },
      { name: 'Party', type: 'choice', choices: PARTIES },
      { name: 'Elected', type: 'boolean' },
      { name: 'Day', type: 'date' },
      { name: 'At', type: 'datetime' },
      { name: 'Data', type: 'json' },
    ],
    ROWS,
  )
})
afterAll(() => database.close())

const column = (slug: string) => {
  const found = table.columns.find((candidate) => candidate.slug === slug)
  if (!found) throw new Error(`no column ${slug}`)
  return found
}

const counts = (rows: string[][], index: number, key = (text: string) => text) => {
  const tally = new Map<string | null, number>()
  for (const row of rows) {
    const text = row[index] ? key(row[index] ?? '') : null
    tally.set(text, (tally.get(text) ?? 0) + 1)
  }
  return tally
}

describe('readFacets', () => {
  it('counts each value exactly, commonest first, nulls included', async () => {
    const [party, elected] = await readFacets(
      database.db,
      table,
      [column('party'), column('elected')],
      {
        search: '',
      },
    )
    expect(party?.status).toBe('exact')
    expect(party?.by).toBe('value')
    expect(new Map(party?.values.map((v) => [v.value, v.count]))).toEqual(counts(ROWS, 1))
    const sorted = party?.values.map((v) => v.count) ?? []
    expect(sorted).toEqual([...sorted].sort((a, b) => b - a))
    expect(elected?.values).toEqual([
      { value: 'false', count: 30 },
      { value: 'true', count: 30 },
    ])
  })

  it('facets dates and date-times by year (in UTC)', async () => {
    const [day, at] = await readFacets(database.db, table, [column('day'), column('at')], {
      search: '',
    })
    expect(day?.by).toBe('year')
    expect(new Map(day?.values.map((v) => [v.value, v.count]))).toEqual(
      counts(ROWS, 3, (text) => text.slice(0, 4)),
    )
    expect(new Map(at?.values.map((v) => [v.value, v.count]))).toEqual(
      counts(ROWS, 4, (text) => text.slice(0, 4)),
    )
  })

  it('counts only the rows the filters and search leave', async () => {
    const { filters } = readFilters(table.columns, { elected__exact: 'yes' })
    const [party] = await readFacets(database.db, table, [column('party')], { search: '', filters })
    const kept = ROWS.filter((row) => row[2] === 'yes')
    expect(new Map(party?.values.map((v) => [v.value, v.count]))).toEqual(counts(kept, 1))
    const [searched] = await readFacets(database.db, table, [column('party')], { search: 'Name 1' })
    expect(searched?.values.reduce((sum, v) => sum + v.count, 0)).toBe(11)
  })

  it('lists at most 30 values and says there are more', async () => {
    const [name] = await readFacets(database.db, table, [column('name')], { search: '' })
    expect(name?.values).toHaveLength(30)
    expect(name?.more).toBe(true)
  })

  it('leaves out columns that cannot be faceted and columns dropped since', async () => {
    const owner = await createOwner(database, 'facet-dropper')
    const small = await tableWithRows(
      database,
      owner,
      'Small',
      [
        { name: 'A', type: 'text' },
        { name: 'B', type: 'text' },
      ],
      [['x', 'y']],
    )
    await deleteColumn(database.db, small, small.columns[0]?.id ?? 0)
    const facets = await readFacets(database.db, small, small.columns, { search: '' })
    expect(facets.map((facet) => facet.column.slug)).toEqual(['b'])
    expect(await readFacets(database.db, table, [column('data')], { search: '' })).toEqual([])
    // A table deleted meanwhile has no facets.
    await deleteTable(database.db, small.id)
    expect(await readFacets(database.db, small, small.columns, { search: '' })).toEqual([])
  })

  it('answers from a sample, scaled and marked approximate, when counting would be slow', async () => {
    const [party] = await readFacets(
      database.db,
      table,
      [column('party')],
      { search: '' },
      {
        skipExact: true,
      },
    )
    expect(party?.status).toBe('approximate')
    // The table is smaller than a sample: the sample is all of it.
    expect(new Map(party?.values.map((v) => [v.value, v.count]))).toEqual(counts(ROWS, 1))
  })

  it.runIf(process.env.TEST_DATABASE_URL)(
    'says a facet is unavailable when even a sample runs past the budget',
    async () => {
      const big = await tableWithRows(database, ownerId, 'Big', [{ name: 'N', type: 'integer' }])
      await sql`insert into ${tableRef(big.id)} (c${sql.raw(String(big.columns[0]?.id))})
        select i % 7 from generate_series(1, 300000) i`.execute(database.db)
      const started = performance.now()
      const [n] = await readFacets(
        database.db,
        { ...big, rowCount: 300000 },
        big.columns,
        {
          search: '',
        },
        { budgetMs: 1 },
      )
      expect(n?.status).toBe('unavailable')
      expect(n?.values).toEqual([])
      expect(performance.now() - started).toBeLessThan(1000)
    },
  )
})

describe('suggestFacets', () => {
  it('suggests choices, yes/no, dates, and text with few values once statistics exist', async () => {
    const owner = await createOwner(database, 'suggested')
    const rows = Array.from({ length: 200 }, (_, i) => [
      `kind ${i % 4}`,
      `name ${i}`,
      'Labour',
      'no',
      '2017-01-01',
      '1',
    ])
    const suggested = await tableWithRows(
      database,
      owner,
      'Suggested',
      [
        { name: 'Kind', type: 'text' },
        { name: 'Name', type: 'text' },
        { name: 'Party', type: 'choice', choices: PARTIES },
        { name: 'Elected', type: 'boolean' },
        { name: 'Day', type: 'date' },
        { name: 'Data', type: 'json' },
      ],
      rows,
    )
    const slugs = (columns: ColumnInfo[]) => columns.map((c) => c.slug)
    await sql`analyze ${tableRef(suggested.id)}`.execute(database.db)
    expect(slugs(await suggestFacets(database.db, { ...suggested, rowCount: 200 }))).toEqual([
      'kind',
      'party',
      'elected',
      'day',
    ])
    // The table page reads the same estimates with its settings, in one statement.
    const { distinct } = await getPageSettings(database.db, suggested)
    expect(slugs(suggestFacetsFrom({ ...suggested, rowCount: 200 }, distinct))).toEqual([
      'kind',
      'party',
      'elected',
      'day',
    ])
  })
})
