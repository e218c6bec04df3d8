import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Database } from '../db/database.js'
import { createTestDatabase } from '../test/database.js'
import { importNewTable } from './import.js'
import { decodeCursor, encodeCursor, type RowOrder } from './keyset.js'
import { listRows, type PageAt, type RowPage } from './list-rows.js'
import { countRows } from './rows.js'
import type { TableInfo } from './types.js'

let database: Database
let table: TableInfo
const PER_PAGE = 7
const COUNT = 61

// n has duplicates and nulls; word has nulls too, so every order has ties and a null tail.
const rowsData = Array.from({ length: COUNT }, (_, i) => ({
  id: i + 1,
  n: i % 5 === 0 ? null : (i * 7) % 11,
  word: i % 4 === 0 ? null : `w${(i * 3) % 9}`,
}))

beforeAll(async () => {
  database = await createTestDatabase()
  const owner = await database.db
    .insertInto('users')
    .values({ username: 'keys' })
    .returning('id')
    .executeTakeFirstOrThrow()
  async function* records() {
    for (const row of rowsData)
      yield { line: row.id + 1, fields: [row.n === null ? '' : String(row.n), row.word ?? ''] }
  }
  ;({ table } = await importNewTable(
    database,
    {
      ownerId: owner.id,
      name: 'Keys',
      columns: [
        { name: 'n', type: 'integer' },
        { name: 'word', type: 'text' },
      ],
    },
    records(),
  ))
})
afterAll(() => database.close())

type Key = 'id' | 'n' | 'word'
function expectedIds(key: Key, descending: boolean): number[] {
  const sign = descending ? -1 : 1
  return [...rowsData]
    .sort((a, b) => {
      const x = a[key]
      const y = b[key]
      if (x === null || y === null) return x === y ? sign * (a.id - b.id) : x === null ? 1 : -1
      return x === y ? sign * (a.id - b.id) : sign * (x < y ? -1 : 1)
    })
    .map((row) => row.id)
}

const orderFor = (key: Key, descending: boolean): RowOrder | null =>
  key === 'id' && !descending
    ? null
    : {
        column: key === 'id' ? null : (table.columns.find((c) => c.slug === key) ?? null),
        descending,
      }

const list = (order: RowOrder | null, at: PageAt, search = '') =>
  listRows(database.db, table, { search, order, at, perPage: PER_PAGE })
const ids = (page: RowPage) => page.rows.map((row) => row.id)
const cursor = (text: string | null) => decodeCursor(text) ?? { key: null, id: 0 }

const orders: [Key, boolean][] = [
  ['id', false],
  ['id', true],
  ['n', false],
  ['n', true],
  ['word', false],
  ['word', true],
]

describe('listRows', () => {
  it.each(orders)(
    'walks forward by Next cursors through every row in order (%s, descending %s)',
    async (key, descending) => {
      const order = orderFor(key, descending)
      const seen: number[] = []
      let page = await list(order, { kind: 'page', page: 1 })
      seen.push(...ids(page))
      while (page.hasNext) {
        page = await list(order, {
          kind: 'after',
          cursor: cursor(page.lastCursor),
          page: page.page + 1,
        })
        seen.push(...ids(page))
      }
      expect(seen).toEqual(expectedIds(key, descending))
      expect(page.page).toBe(Math.ceil(COUNT / PER_PAGE))
    },
  )

  it.each(orders)(
    'walks back by Previous cursors from the last page (%s, descending %s)',
    async (key, descending) => {
      const order = orderFor(key, descending)
      let page = await list(order, { kind: 'last' })
      const pages = [ids(page)]
      expect(page.hasNext).toBe(false)
      while (page.hasPrevious) {
        page = await list(order, {
          kind: 'before',
          cursor: cursor(page.firstCursor),
          page: page.page - 1,
        })
        pages.unshift(ids(page))
      }
      expect(pages.flat()).toEqual(expectedIds(key, descending))
      expect(pages[0]).toHaveLength(PER_PAGE)
    },
  )

  it.each(orders)(
    'numbers every page the same from either end (%s, descending %s)',
    async (key, descending) => {
      const order = orderFor(key, descending)
      const expected = expectedIds(key, descending)
      for (let n = 1; n <= Math.ceil(COUNT / PER_PAGE); n++) {
        const page = await list(order, { kind: 'page', page: n })
        expect(ids(page)).toEqual(expected.slice((n - 1) * PER_PAGE, n * PER_PAGE))
      }
    },
  )

  it('reads the first page when no page is given, or by its number alone', async () => {
    const first = await listRows(database.db, table, { search: '', order: null, perPage: PER_PAGE })
    expect([first.page, ids(first)]).toEqual([1, [1, 2, 3, 4, 5, 6, 7]])
    const third = await listRows(database.db, table, {
      search: '',
      order: null,
      page: 3,
      perPage: PER_PAGE,
    })
    expect([third.page, ids(third)]).toEqual([3, [15, 16, 17, 18, 19, 20, 21]])
  })

  it('clamps a page past the end to the last page', async () => {
    const page = await list(null, { kind: 'page', page: 999 })
    expect(page.page).toBe(9)
    expect(ids(page)).toEqual([57, 58, 59, 60, 61])
  })

  it('answers a cursor past the end with the last page', async () => {
    const page = await list(null, { kind: 'after', cursor: { key: null, id: 10_000 }, page: 12 })
    expect(page.page).toBe(9)
    expect(page.hasNext).toBe(false)
  })

  it('falls back to the page number when a cursor does not fit the column', async () => {
    const order = orderFor('n', false)
    const page = await list(order, {
      kind: 'after',
      cursor: { key: 'not a number', id: 3 },
      page: 2,
    })
    expect(ids(page)).toEqual(expectedIds('n', false).slice(PER_PAGE, 2 * PER_PAGE))
  })

  it('counts a search exactly while cheap, and estimates past the limit', async () => {
    const exact = await list(null, { kind: 'page', page: 1 }, 'w1')
    expect(exact.estimated).toBe(false)
    expect(exact.total).toBe(rowsData.filter((row) => row.word === 'w1').length)
    const estimated = await listRows(database.db, table, {
      search: 'w',
      order: null,
      page: 1,
      perPage: PER_PAGE,
      exactCountLimit: 5,
    })
    expect(estimated.estimated).toBe(true)
    expect(estimated.total).toBeGreaterThan(5)
    expect(estimated.total).toBeLessThanOrEqual(COUNT)
  })

  it('estimates from the planner alone when the catalog holds no row count', async () => {
    const uncounted = { ...table, rowCount: 0 }
    const exact = await countRows(database.db, uncounted, '')
    expect(exact).toEqual({ total: 0, estimated: false })
    const estimated = await countRows(database.db, uncounted, 'w', 5)
    expect(estimated.estimated).toBe(true)
    expect(estimated.total).toBeGreaterThan(5)
  })

  it('shows the last page honestly when an estimate overshoots', async () => {
    const page = await listRows(database.db, table, {
      search: 'w',
      order: null,
      page: 99,
      perPage: PER_PAGE,
      exactCountLimit: 5,
    })
    expect(page.rows.length).toBeGreaterThan(0)
    expect(page.hasNext).toBe(false)
  })
})

describe('cursors', () => {
  it('round-trip and refuse anything malformed', () => {
    expect(decodeCursor(encodeCursor({ key: '42', id: 7 }))).toEqual({ key: '42', id: 7 })
    expect(decodeCursor(encodeCursor({ key: null, id: 7 }))).toEqual({ key: null, id: 7 })
    for (const bad of [
      null,
      '',
      'not base64 json',
      Buffer.from('[1,2,3]').toString('base64url'),
      Buffer.from('["a",-1]').toString('base64url'),
      Buffer.from('[5,1]').toString('base64url'),
      'x'.repeat(3000),
    ]) {
      expect(decodeCursor(bad)).toBeNull()
    }
  })
})
