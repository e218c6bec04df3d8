import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Database } from '../db/database.js'
import { createTestDatabase } from '../test/database.js'
import { createOwner, tableWithRows } from '../test/datasource-fixtures.js'
import { deleteColumn } from './columns.js'
import { exportFile } from './export.js'
import { FILTER_OPERATORS, operatorsFor, readFilters } from './filters.js'
import { listRows, listRowsAfter } from './list-rows.js'
import { countRows } from './rows.js'
import type { ColumnSpec, TableInfo } from './types.js'

let database: Database
let table: TableInfo

const COLUMNS: ColumnSpec[] = [
  { name: 'Name', type: 'text' },
  { name: 'Notes', type: 'long_text' },
  { name: 'Party', type: 'choice', choices: ['Labour', 'Green', 'Tory'] },
  { name: 'Email', type: 'email' },
  { name: 'Site', type: 'url' },
  { name: 'Votes', type: 'integer' },
  { name: 'Share', type: 'decimal' },
  { name: 'Day', type: 'date' },
  { name: 'At', type: 'datetime' },
  { name: 'Elected', type: 'boolean' },
  { name: 'Data', type: 'json' },
]

// Row 4 is empty throughout; long notes in row 1 pass the 200-character sort prefix.
const LONG = `${'n'.repeat(250)} tail`
const ROWS = [
  [
    'Ada',
    LONG,
    'Labour',
    'ada@example.com',
    'https://ada.example/x',
    '30001',
    '12.5',
    '2017-06-08',
    '2017-06-08T22:00Z',
    'yes',
    '{"a":1}',
  ],
  [
    'Bob_100%',
    'Notes of Bob',
    'Green',
    'bob@example.org',
    'https://bob.example/',
    '100',
    '0.25',
    '2018-12-31',
    '2018-12-31T23:59:59Z',
    'no',
    '[1,2]',
  ],
  [
    'Cy, Jr',
    'about cy',
    'Tory',
    'cy@example.com',
    'http://cy.example/',
    '-5',
    '-1.5',
    '2017-01-01',
    '2017-01-01T00:00Z',
    'yes',
    '',
  ],
  ['', '', '', '', '', '', '', '', '', '', ''],
]

beforeAll(async () => {
  database = await createTestDatabase()
  const owner = await createOwner(database, 'filters')
  table = await tableWithRows(database, owner, 'Filtered', COLUMNS, ROWS)
})
afterAll(() => database.close())

async function idsFor(query: Record<string, string>, search = ''): Promise<number[]> {
  const { filters, problems } = readFilters(table.columns, query)
  expect(problems).toEqual([])
  const page = await listRows(database.db, table, { search, filters, order: null, perPage: 50 })
  return page.rows.map((row) => row.id)
}

// [parameter, value, the rows it matches]: every operator of every type, against the database.
const CASES: [string, string, number[]][] = [
  ['name__exact', 'Ada', [1]],
  ['name__not', 'Ada', [2, 3, 4]],
  ['name__contains', '_100%', [2]],
  ['name__contains', 'A', [1]],
  ['name__startswith', 'cy', [3]],
  ['name__endswith', 'JR', [3]],
  ['name__in', '["Cy, Jr", "Ada"]', [1, 3]],
  ['name__isnull', '1', [4]],
  ['name__notnull', '1', [1, 2, 3]],
  ['notes__exact', LONG, [1]],
  ['notes__exact', `${'n'.repeat(250)} other`, []],
  ['notes__not', 'about cy', [1, 2, 4]],
  ['notes__contains', 'tail', [1]],
  ['notes__startswith', 'notes', [2]],
  ['notes__endswith', 'cy', [3]],
  ['notes__in', `about cy,${LONG}`, [1, 3]],
  ['notes__isnull', '', [4]],
  ['notes__notnull', '', [1, 2, 3]],
  ['party__exact', 'Labour', [1]],
  ['party__not', 'Labour', [2, 3, 4]],
  ['party__contains', 'o', [1, 3]],
  ['party__startswith', 'gr', [2]],
  ['party__endswith', 'ory', [3]],
  ['party__in', 'Green,Tory', [2, 3]],
  ['party__isnull', '1', [4]],
  ['party__notnull', '1', [1, 2, 3]],
  ['email__exact', 'bob@example.org', [2]],
  ['email__not', 'bob@example.org', [1, 3, 4]],
  ['email__contains', '@example.com', [1, 3]],
  ['email__startswith', 'ADA', [1]],
  ['email__endswith', '.org', [2]],
  ['email__in', 'cy@example.com, ada@example.com', [1, 3]],
  ['email__isnull', '1', [4]],
  ['email__notnull', '1', [1, 2, 3]],
  ['site__exact', 'https://ada.example/x', [1]],
  ['site__not', 'https://ada.example/x', [2, 3, 4]],
  ['site__contains', 'bob', [2]],
  ['site__startswith', 'http:', [3]],
  ['site__endswith', '/x', [1]],
  ['site__in', 'https://ada.example/x,http://cy.example/', [1, 3]],
  ['site__isnull', '1', [4]],
  ['site__notnull', '1', [1, 2, 3]],
  ['votes__exact', '100', [2]],
  ['votes__not', '100', [1, 3, 4]],
  ['votes__gt', '100', [1]],
  ['votes__gte', '100', [1, 2]],
  ['votes__lt', '100', [3]],
  ['votes__lte', '100', [2, 3]],
  ['votes__in', '-5,30001', [1, 3]],
  ['votes__isnull', '1', [4]],
  ['votes__notnull', '1', [1, 2, 3]],
  ['share__exact', '12.50', [1]],
  ['share__not', '0.25', [1, 3, 4]],
  ['share__gt', '0.25', [1]],
  ['share__gte', '.25', [1, 2]],
  ['share__lt', '0', [3]],
  ['share__lte', '1e1', [2, 3]],
  ['share__in', '-1.5,12.5', [1, 3]],
  ['share__isnull', '1', [4]],
  ['share__notnull', '1', [1, 2, 3]],
  ['day__exact', '2017-06-08', [1]],
  ['day__not', '2017-06-08', [2, 3, 4]],
  ['day__gt', '2017-06-08', [2]],
  ['day__gte', '2017-06-08', [1, 2]],
  ['day__lt', '2017-06-08', [3]],
  ['day__lte', '2017-06-08', [1, 3]],
  ['day__in', '2017-01-01,2018-12-31', [2, 3]],
  ['day__year', '2017', [1, 3]],
  ['day__month', '2018-12', [2]],
  ['day__isnull', '1', [4]],
  ['day__notnull', '1', [1, 2, 3]],
  ['at__exact', '2017-06-08T23:00+01:00', [1]],
  ['at__not', '2017-06-08 22:00', [2, 3, 4]],
  ['at__gt', '2017-06-08 22:00', [2]],
  ['at__gte', '2017-06-08 22:00', [1, 2]],
  ['at__lt', '2017-06-08 22:00', [3]],
  ['at__lte', '2017-06-08 22:00', [1, 3]],
  ['at__in', '2017-01-01 00:00,2018-12-31T23:59:59Z', [2, 3]],
  ['at__year', '2018', [2]],
  ['at__month', '2017-06', [1]],
  ['at__isnull', '1', [4]],
  ['at__notnull', '1', [1, 2, 3]],
  ['elected__exact', 'yes', [1, 3]],
  ['elected__exact', 'no', [2]],
  ['elected__isnull', '1', [4]],
  ['elected__notnull', '1', [1, 2, 3]],
  ['data__isnull', '1', [3, 4]],
  ['data__notnull', '1', [1, 2]],
]

describe('filters against the database', () => {
  it.each(CASES)('%s=%s matches rows %j', async (key, value, ids) => {
    expect(await idsFor({ [key]: value })).toEqual(ids)
  })

  it('tests every operator of every type', () => {
    const tested = new Set(CASES.map(([key]) => key))
    for (const column of table.columns) {
      for (const operator of operatorsFor(column.type)) {
        expect(tested, `${column.slug}__${operator}`).toContain(`${column.slug}__${operator}`)
      }
    }
    expect(FILTER_OPERATORS.length).toBe(15)
  })

  it('ANDs filters with each other and with the search', async () => {
    expect(await idsFor({ votes__gt: '0', day__year: '2017' })).toEqual([1])
    expect(await idsFor({ elected__exact: 'yes' }, 'cy')).toEqual([3])
    expect(await idsFor({ elected__exact: 'yes' }, 'bob')).toEqual([])
  })

  it('sorts, pages by cursor and counts the filtered rows', async () => {
    const { filters } = readFilters(table.columns, { votes__notnull: '1' })
    const votes = table.columns.find((column) => column.slug === 'votes') ?? null
    const order = { column: votes, descending: true }
    const first = await listRows(database.db, table, { search: '', filters, order, perPage: 2 })
    expect(first.rows.map((row) => row.id)).toEqual([1, 2])
    expect([first.total, first.estimated, first.pageCount]).toEqual([3, false, 2])
    const next = await listRows(database.db, table, {
      search: '',
      filters,
      order,
      perPage: 2,
      at: { kind: 'after', cursor: { key: '100', id: 2 }, page: 2 },
    })
    expect(next.rows.map((row) => row.id)).toEqual([3])
    const last = await listRows(database.db, table, {
      search: '',
      filters,
      order,
      perPage: 2,
      at: { kind: 'last' },
    })
    expect(last.rows.map((row) => row.id)).toEqual([3])
    const byCursor = await listRowsAfter(database.db, table, {
      search: '',
      filters,
      order,
      after: null,
      limit: 2,
      cellChars: null,
    })
    expect([byCursor.rows.map((row) => row.id), byCursor.total]).toEqual([[1, 2], 3])
    expect(await countRows(database.db, table, { search: '', filters })).toEqual({
      total: 3,
      estimated: false,
    })
  })

  it('estimates the count of a filter past the exact limit', async () => {
    const { filters } = readFilters(table.columns, { votes__notnull: '1' })
    const count = await countRows(database.db, table, { search: '', filters }, 2)
    expect(count.estimated).toBe(true)
    expect(count.total).toBeGreaterThanOrEqual(3)
  })

  it('exports only the filtered rows', async () => {
    const { filters } = readFilters(table.columns, { party__in: 'Labour,Tory' })
    let text = ''
    const decoder = new TextDecoder()
    for await (const chunk of exportFile(
      database,
      table,
      { search: '', filters, order: null },
      'json',
    )) {
      text += decoder.decode(chunk, { stream: true })
    }
    expect(JSON.parse(text).map((row: { id: number }) => row.id)).toEqual([1, 3])
  })

  it('leaves out a filter read for a column of another type (changed since)', async () => {
    const retyped = table.columns.map((column) =>
      column.slug === 'votes' ? { ...column, type: 'text' as const } : column,
    )
    const { filters } = readFilters(retyped, { votes__contains: 'x', name__exact: 'Ada' })
    const page = await listRows(database.db, table, {
      search: '',
      filters,
      order: null,
      perPage: 9,
    })
    expect(page.rows.map((row) => row.id)).toEqual([1])
    const alone = readFilters(retyped, { votes__contains: 'x' }).filters
    const all = await listRows(database.db, table, {
      search: '',
      filters: alone,
      order: null,
      perPage: 9,
    })
    expect(all.rows).toHaveLength(4)
  })

  it('leaves out a filter whose column was dropped since it was read', async () => {
    const owner = await createOwner(database, 'dropper')
    const small = await tableWithRows(
      database,
      owner,
      'Small',
      [
        { name: 'A', type: 'integer' },
        { name: 'B', type: 'text' },
      ],
      [
        ['1', 'x'],
        ['2', 'y'],
      ],
    )
    const { filters } = readFilters(small.columns, { a__gt: '1', b__exact: 'y' })
    const column = small.columns[0]
    if (!column) throw new Error('no column')
    await deleteColumn(database.db, small, column.id)
    const page = await listRows(database.db, small, {
      search: '',
      filters,
      order: null,
      perPage: 5,
    })
    expect(page.rows.map((row) => row.id)).toEqual([2])
  })
})
