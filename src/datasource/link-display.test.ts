// A link's display value: the column chosen (or the target's first text column), and search,
// filters, sort (with keyset pages), exports and the picker's choices by it, on either driver.
import { sql } from 'kysely'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Database } from '../db/database.js'
import { createTestDatabase } from '../test/database.js'
import { createOwner, tableWithRows } from '../test/datasource-fixtures.js'
import { getTableById } from './catalog.js'
import { ColumnChangeError } from './column-errors.js'
import { addColumn, deleteColumn, updateColumn } from './columns.js'
import { exportFile } from './export.js'
import { readFilters } from './filters.js'
import type { Cursor, RowOrder } from './keyset.js'
import { allChoices, SELECT_ROWS, searchChoices } from './link-choices.js'
import { linkDisplays } from './links.js'
import { listRows, listRowsAfter } from './list-rows.js'
import { columnRef, tableRef } from './names.js'
import type { ColumnInfo, TableInfo } from './types.js'

let database: Database
let owner: number
let birds: TableInfo
let sightings: TableInfo

// Birds: 1 Wren, 2 Robin, 3 Wren again, 4 no name, 5 Blackbird.
const BIRDS = [
  ['11', 'Wren', 'Troglodytidae', '2024-01-05'],
  ['12', 'Robin', 'Muscicapidae', '2024-01-04'],
  ['13', 'Wren', 'Troglodytidae', '2024-01-03'],
  ['14', '', 'Unknown', ''],
  ['15', 'Blackbird', 'Turdidae', '2024-01-01'],
]
// Sightings: 1 A→Wren, 2 B→Robin, 3 C→none, 4 D→Blackbird, 5 E→Wren (3), 6 F→no name.
const SIGHTINGS = [
  ['A', '1'],
  ['B', '2'],
  ['C', ''],
  ['D', '5'],
  ['E', '3'],
  ['F', '4'],
]

const column = (table: TableInfo, slug: string) =>
  table.columns.find((candidate) => candidate.slug === slug) as ColumnInfo

async function reload(table: TableInfo) {
  return (await getTableById(database.db, table.id)) as TableInfo
}

beforeAll(async () => {
  database = await createTestDatabase()
  owner = await createOwner(database, 'displays')
  birds = await tableWithRows(
    database,
    owner,
    'Birds',
    [
      { name: 'Code', type: 'integer' },
      { name: 'Name', type: 'text' },
      { name: 'Family', type: 'text' },
      { name: 'First seen', type: 'date' },
    ],
    BIRDS,
  )
  sightings = await tableWithRows(
    database,
    owner,
    'Sightings',
    [
      { name: 'Place', type: 'text' },
      { name: 'Bird', type: 'link', link: { tableId: birds.id, onDelete: 'clear' } },
    ],
    SIGHTINGS,
  )
})
afterAll(() => database.close())

async function setDisplay(slug: string | null) {
  sightings = await updateColumn(database.db, sightings, column(sightings, 'bird').id, {
    linkDisplay: slug,
  })
}

describe('the display column', () => {
  it('is the first text column by default, read by the catalog', () => {
    expect(column(sightings, 'bird').link).toMatchObject({
      tableId: birds.id,
      displayColumnId: null,
      displaySlug: null,
      display: { slug: 'name', type: 'text' },
    })
  })

  it.each([
    ['a column of any type, as text', 'code', [1, 2], ['11', '12']],
    ['a date column', 'first_seen', [1, 4], ['2024-01-05', null]],
    ['the default again', null, [1, 5], ['Wren', 'Blackbird']],
  ])('can be %s', async (_, slug, ids, displays) => {
    await setDisplay(slug)
    const link = column(sightings, 'bird').link
    expect(link?.displaySlug).toBe(slug)
    const found = await linkDisplays(database.db, birds, ids, link?.displayColumnId)
    expect(ids.map((id) => found.get(id))).toEqual(displays)
  })

  it.each([
    ['an unknown column', 'nope'],
    ['a column of another table', 'place'],
    ['a slug no column can have', 'Name\u0000'],
    ['a long slug', 'x'.repeat(500)],
  ])('refuses %s, naming the field', async (_, slug) => {
    const refusal = await setDisplay(slug).catch((error: unknown) => error)
    expect(refusal).toBeInstanceOf(ColumnChangeError)
    expect((refusal as ColumnChangeError).field).toBe('link_display')
    expect((await reload(sightings)).columns[1]?.link?.displayColumnId).toBeNull()
  })

  it('is refused for a column that is not a link', async () => {
    const refusal = await updateColumn(database.db, sightings, column(sightings, 'place').id, {
      linkDisplay: 'name',
    }).catch((error: unknown) => error)
    expect((refusal as ColumnChangeError).field).toBe('link_display')
  })

  it('falls back to the default when the chosen column is deleted, and to none without text', async () => {
    const extra = await addColumn(database.db, birds, { name: 'Nick', type: 'text' })
    await setDisplay('nick')
    expect(column(sightings, 'bird').link?.display?.slug).toBe('nick')
    birds = await deleteColumn(database.db, extra, column(extra, 'nick').id)
    sightings = await reload(sightings)
    expect(column(sightings, 'bird').link).toMatchObject({
      displayColumnId: null,
      displaySlug: null,
      display: { slug: 'name' },
    })
    const numbers = await tableWithRows(database, owner, 'Numbers', [
      { name: 'N', type: 'integer' },
    ])
    const counted = await tableWithRows(database, owner, 'Counted', [
      { name: 'Of', type: 'link', link: { tableId: numbers.id, onDelete: 'clear' } },
    ])
    expect(counted.columns[0]?.link?.display).toBeNull()
    expect(await linkDisplays(database.db, numbers, [])).toEqual(new Map())
  })

  it('shows a file by its name', async () => {
    const withFile = await addColumn(database.db, birds, { name: 'Picture', type: 'file' })
    const picture = column(withFile, 'picture')
    await sql`update ${tableRef(birds.id)} set ${columnRef(picture.id)} =
      '{"key":"k","name":"wren.png","type":"image/png","size":3}'::jsonb where id = 1`.execute(
      database.db,
    )
    const found = await linkDisplays(database.db, withFile, [1, 2], picture.id)
    expect([found.get(1), found.get(2)]).toEqual(['wren.png', null])
    birds = await deleteColumn(database.db, withFile, picture.id)
    sightings = await reload(sightings)
  })

  it('is chosen when the column is made, by slug', async () => {
    const made = await addColumn(database.db, sightings, {
      name: 'Also',
      type: 'link',
      link: { tableId: birds.id, onDelete: 'clear', displaySlug: 'family' },
    })
    expect(column(made, 'also').link).toMatchObject({
      displaySlug: 'family',
      display: { slug: 'family' },
    })
    const refusal = await addColumn(database.db, made, {
      name: 'Bad',
      type: 'link',
      link: { tableId: birds.id, onDelete: 'clear', displaySlug: 'place' },
    }).catch((error: unknown) => error)
    expect((refusal as ColumnChangeError).field).toBe('link_display')
    sightings = await deleteColumn(database.db, made, column(made, 'also').id)
  })
})

async function ids(query: Record<string, string>, search = '', order: RowOrder | null = null) {
  const { filters, problems } = readFilters(sightings.columns, query)
  expect(problems).toEqual([])
  const page = await listRows(database.db, sightings, { search, filters, order, perPage: 50 })
  return page.rows.map((row) => row.id)
}

describe('search and filters by display value', () => {
  it.each([
    ['wren', [1, 5]],
    ['ROB', [2]],
    ['i', [2, 4]],
    ['zzz', []],
  ])('a search for %s matches links by their display values', async (search, expected) => {
    expect(await ids({}, search)).toEqual(expected)
  })

  it.each([
    ['bird__display', 'Wren', [1, 5]],
    ['bird__display', 'wren', []],
    ['bird__contains', 'OBI', [2]],
    ['bird__contains', '%', []],
    ['bird__startswith', 'bl', [4]],
    ['bird__exact', '2', [2]],
    ['bird__isnull', '1', [3]],
    ['bird__notnull', '1', [1, 2, 4, 5, 6]],
  ])('%s=%s matches rows %j', async (key, value, expected) => {
    expect(await ids({ [key]: value })).toEqual(expected)
  })

  it.each([
    ['bird__display', ''],
    ['bird__display', 'a\u0000b'],
    ['bird__gt', '3'],
  ])('%s=%j is refused with a message', (key, value) => {
    const { filters, problems } = readFilters(sightings.columns, { [key]: value })
    expect(filters).toEqual([])
    expect(problems[0]?.key).toBe(key)
  })

  it('follows the chosen display column', async () => {
    await setDisplay('family')
    expect(await ids({ bird__display: 'Troglodytidae' })).toEqual([1, 5])
    expect(await ids({}, 'turd')).toEqual([4])
    await setDisplay('code')
    expect(await ids({ bird__display: '12' })).toEqual([2])
    expect(await ids({ bird__contains: '5' })).toEqual([4])
    await setDisplay(null)
  })

  it('matches nothing by display value when the target has no display column', async () => {
    const hidden = {
      ...sightings,
      columns: sightings.columns.map((one) =>
        one.link ? { ...one, link: { ...one.link, display: null } } : one,
      ),
    }
    const { filters } = readFilters(hidden.columns, { bird__contains: 'wren' })
    const page = await listRows(database.db, hidden, {
      search: 'wren',
      filters,
      order: null,
      perPage: 9,
    })
    expect(page.rows).toEqual([])
  })
})

// Ascending: Blackbird (4), Robin (2), Wren (1, then 5 by id), then no display (3, 6 by id).
const ASCENDING = [4, 2, 1, 5, 3, 6]
const DESCENDING = [5, 1, 2, 4, 6, 3]

describe('sorting by display value', () => {
  const order = (descending: boolean): RowOrder => ({
    column: column(sightings, 'bird'),
    descending,
  })

  it.each([
    [false, ASCENDING],
    [true, DESCENDING],
  ])('descending %s orders %j, by cursor pages too', async (descending, expected) => {
    expect(await ids({}, '', order(descending))).toEqual(expected)
    const seen: number[] = []
    let after: Cursor | null = null
    for (let page = 1; page <= 4; page++) {
      const next = await listRowsAfter(database.db, sightings, {
        search: '',
        order: order(descending),
        after,
        limit: 2,
        cellChars: null,
      })
      seen.push(...next.rows.map((row) => row.id))
      if (!next.next) break
      after = JSON.parse(Buffer.from(next.next, 'base64url').toString()).reduce(
        (key: string | null, id: number) => ({ key, id }),
      )
    }
    expect(seen).toEqual(expected)
  })

  it('reads numbered pages from either end, the last page and Previous', async () => {
    const page = (at: Parameters<typeof listRows>[2]['at']) =>
      listRows(database.db, sightings, { search: '', order: order(false), perPage: 2, at })
    expect((await page({ kind: 'page', page: 2 })).rows.map((row) => row.id)).toEqual([1, 5])
    expect((await page({ kind: 'page', page: 3 })).rows.map((row) => row.id)).toEqual([3, 6])
    const last = await page({ kind: 'last' })
    expect(last.rows.map((row) => row.id)).toEqual([3, 6])
    const before = await page({
      kind: 'before',
      cursor: { key: null, id: 3 },
      page: 2,
    })
    expect(before.rows.map((row) => row.id)).toEqual([1, 5])
    const skipped = await page({ kind: 'page', page: 3 })
    expect(skipped.hasPrevious).toBe(true)
  })

  it('sorts a filtered page and an export alike', async () => {
    const { filters } = readFilters(sightings.columns, { bird__notnull: '1' })
    let text = ''
    const decoder = new TextDecoder()
    for await (const chunk of exportFile(
      database,
      sightings,
      { search: '', filters, order: order(true) },
      'json',
    )) {
      text += decoder.decode(chunk, { stream: true })
    }
    expect(JSON.parse(text).map((row: { id: number }) => row.id)).toEqual([5, 1, 2, 4, 6])
  })

  it('sorts by the chosen column in its own type', async () => {
    await setDisplay('first_seen')
    // By date: D (01-01), E (01-03), B (01-04), A (01-05); then none.
    expect(await ids({}, '', order(false))).toEqual([4, 5, 2, 1, 3, 6])
    const after = await listRowsAfter(database.db, sightings, {
      search: '',
      order: order(false),
      after: { key: '2024-01-03', id: 5 },
      limit: 2,
      cellChars: null,
    })
    expect(after.rows.map((row) => row.id)).toEqual([2, 1])
    await setDisplay(null)
  })

  it('sorts a table that links to itself', async () => {
    const chain = await tableWithRows(
      database,
      owner,
      'Chain',
      [{ name: 'Name', type: 'text' }],
      [['b'], ['a'], ['c']],
    )
    const linked = await addColumn(database.db, chain, {
      name: 'Next',
      type: 'link',
      link: { tableId: chain.id, onDelete: 'clear' },
    })
    await sql`update ${tableRef(chain.id)} set ${columnRef(column(linked, 'next').id)} = 3`.execute(
      database.db,
    )
    // Every row links to c: no two keys differ, so the id breaks the tie.
    const byNext: RowOrder = { column: column(linked, 'next'), descending: false }
    const page = await listRows(database.db, linked, { search: 'c', order: byNext, perPage: 9 })
    expect(page.rows.map((row) => row.id)).toEqual([1, 2, 3])
    let text = ''
    for await (const chunk of exportFile(database, linked, { search: '', order: byNext }, 'csv')) {
      text += new TextDecoder().decode(chunk)
    }
    expect(text.trim().split('\n').slice(1)).toEqual(['b,3', 'a,3', 'c,3'])
  })
})

describe('search with many matching target rows', () => {
  it('leaves over 1,000 target ids to the query itself, and exports search by display value', async () => {
    const many = Array.from({ length: 1_001 }, (_, index) => [`m${index}`])
    const big = await tableWithRows(
      database,
      owner,
      'Thousand',
      [{ name: 'N', type: 'text' }],
      many,
    )
    const linking = await tableWithRows(
      database,
      owner,
      'To many',
      [{ name: 'To', type: 'link', link: { tableId: big.id, onDelete: 'clear' } }],
      [['1'], ['1001'], ['']],
    )
    const { filters } = readFilters(linking.columns, { to__startswith: 'm' })
    const page = await listRows(database.db, linking, {
      search: 'm',
      filters,
      order: null,
      perPage: 9,
    })
    expect(page.rows.map((row) => row.id)).toEqual([1, 2])
    const after = await listRowsAfter(database.db, linking, {
      search: 'm100',
      order: null,
      after: null,
      limit: 5,
      cellChars: null,
    })
    expect(after.rows.map((row) => row.id)).toEqual([2])
    let text = ''
    for await (const chunk of exportFile(
      database,
      sightings,
      { search: 'wren', order: null },
      'csv',
    )) {
      text += new TextDecoder().decode(chunk)
    }
    expect(text.trim().split('\n').slice(1)).toEqual(['A,1', 'E,3'])
  })
})

describe('imports', () => {
  it('make a new table whose links are given by display value', async () => {
    const named = await tableWithRows(
      database,
      owner,
      'Named',
      [{ name: 'Bird', type: 'link', link: { tableId: birds.id, onDelete: 'clear' } }],
      [['Robin'], ['Blackbird'], ['3']],
    )
    const page = await listRows(database.db, named, { search: '', order: null, perPage: 9 })
    expect(page.rows.map((row) => row.cells[0])).toEqual(['2', '5', '3'])
  })
})

describe('the picker’s choices', () => {
  it('offers every row of a small target, by display value', async () => {
    const choices = await allChoices(database.db, birds, null)
    expect(choices?.map((choice) => [choice.id, choice.display])).toEqual([
      [5, 'Blackbird'],
      [2, 'Robin'],
      [1, 'Wren'],
      [3, 'Wren'],
      [4, null],
    ])
  })

  it('offers no select for a target of more than SELECT_ROWS rows', async () => {
    const many = Array.from({ length: SELECT_ROWS + 1 }, (_, index) => [`n${index}`])
    const big = await tableWithRows(database, owner, 'Many', [{ name: 'N', type: 'text' }], many)
    expect(await allChoices(database.db, big, null)).toBeNull()
    expect(await allChoices(database.db, { ...big, rowCount: 5_000 }, null)).toBeNull()
    const found = await searchChoices(database.db, big, null, 'n1')
    expect(found).toHaveLength(20)
    expect(found[0]).toEqual({ id: 2, display: 'n1' })
  })

  it.each([
    ['wr', null, [1, 3]],
    ['REN', null, [1, 3]],
    ['b', null, [5, 2]],
    ['2', null, [2]],
    ['', null, [5, 2, 1, 3, 4]],
    ['%', null, []],
    ['Turd', 'family', [5]],
    ['13', 'code', [3]],
  ])('a search for %j (display %s) finds rows %j', async (term, slug, expected) => {
    const displayId = slug ? column(birds, slug).id : null
    const found = await searchChoices(database.db, birds, displayId, term)
    expect(found.map((choice) => choice.id)).toEqual(expected)
  })

  it('finds rows only by id when the target has no display column', async () => {
    const numbers = await tableWithRows(
      database,
      owner,
      'Digits',
      [{ name: 'N', type: 'integer' }],
      [['7'], ['8']],
    )
    expect(await searchChoices(database.db, numbers, null, '2')).toEqual([{ id: 2, display: null }])
    expect(await allChoices(database.db, numbers, null)).toEqual([
      { id: 1, display: null },
      { id: 2, display: null },
    ])
    const shown = await linkDisplays(database.db, numbers, [2])
    expect(shown).toEqual(new Map([[2, null]]))
    expect(await searchChoices(database.db, numbers, null, 'x')).toEqual([])
  })
})
