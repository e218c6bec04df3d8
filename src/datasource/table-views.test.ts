import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Database } from '../db/database.js'
import { createTestDatabase } from '../test/database.js'
import { createOwner, tableWithRows } from '../test/datasource-fixtures.js'
import {
  deleteView,
  getPageSettings,
  getShownColumns,
  listViews,
  MAX_VIEWS_PER_TABLE,
  saveView,
  setShownColumns,
  type ViewState,
  viewQuery,
} from './table-views.js'
import type { TableInfo } from './types.js'

let database: Database
let table: TableInfo
const EMPTY: ViewState = { search: '', order: null, filters: [], facets: [], columns: null }

beforeAll(async () => {
  database = await createTestDatabase()
  const owner = await createOwner(database, 'viewer')
  table = await tableWithRows(database, owner, 'Viewed', [
    { name: 'A', type: 'text' },
    { name: 'B', type: 'integer' },
    { name: 'C', type: 'date' },
  ])
})
afterAll(() => database.close())

const ids = () => table.columns.map((column) => column.id)

describe('shown columns', () => {
  it('keeps a set of the table’s own columns, and none or all as every column', async () => {
    const [a, b] = ids()
    await setShownColumns(database.db, table, [b ?? 0, 999_999])
    expect(await getShownColumns(database.db, table.id)).toEqual([b])
    await setShownColumns(database.db, table, ids())
    expect(await getShownColumns(database.db, table.id)).toBeNull()
    await setShownColumns(database.db, table, [a ?? 0])
    await setShownColumns(database.db, table, null)
    expect(await getShownColumns(database.db, table.id)).toBeNull()
    expect(await getShownColumns(database.db, 999_999)).toBeNull()
  })
})

describe('getPageSettings', () => {
  it('reads the default columns and the views in one statement, and nothing for a table gone', async () => {
    const [a, b] = ids()
    const other = await tableWithRows(database, await createOwner(database, 'settings'), 'S', [
      { name: 'X', type: 'text' },
      { name: 'Y', type: 'text' },
    ])
    const [x] = other.columns.map((column) => column.id)
    await setShownColumns(database.db, other, [x ?? 0])
    const first = await saveView(database.db, other, 'First', { ...EMPTY, search: 'one' })
    const second = await saveView(database.db, other, 'Second', { ...EMPTY, columns: [x ?? 0] })
    if (!first.ok || !second.ok) throw new Error('not saved')
    const settings = await getPageSettings(database.db, other)
    expect(settings.shown).toEqual([x])
    expect(settings.views).toEqual([first.view, second.view])
    expect(settings.views).toEqual(await listViews(database.db, other.id))
    expect(settings.distinct).toBeInstanceOf(Map)
    // Another table's settings stay its own.
    await setShownColumns(database.db, table, [a ?? 0, b ?? 0])
    expect((await getPageSettings(database.db, table)).shown).toEqual([a, b])
    await setShownColumns(database.db, table, null)
    expect(await getPageSettings(database.db, { ...table, id: 999_999 })).toEqual({
      shown: null,
      views: [],
      distinct: new Map(),
    })
  })
})

describe('saveView', () => {
  it.each([
    ['   ', 'Give the view a name'],
    ['a\0b', 'Must not contain a NUL character'],
    ['x'.repeat(101), 'At most 100 characters'],
  ])('refuses the name %j', async (name, message) => {
    expect(await saveView(database.db, table, name, EMPTY)).toEqual({ ok: false, message })
  })

  it.each([
    ['a search', { ...EMPTY, search: '\ud800' }],
    [
      'a filter value',
      { ...EMPTY, filters: [{ column: 1, operator: 'exact' as const, value: '\0' }] },
    ],
  ])('refuses text jsonb cannot hold in %s', async (_what, state) => {
    const saved = await saveView(database.db, table, 'Odd', state)
    expect(saved.ok).toBe(false)
  })

  it(`keeps at most ${MAX_VIEWS_PER_TABLE} views, with distinct slugs`, async () => {
    // Two names with one slug, and the first name again (which replaces, not adds).
    for (const name of ['Same-name', 'Same name', 'Same-name']) {
      expect((await saveView(database.db, table, name, EMPTY)).ok).toBe(true)
    }
    expect(await listViews(database.db, table.id)).toHaveLength(2)
    for (let i = 2; i < MAX_VIEWS_PER_TABLE; i++) {
      await saveView(database.db, table, `More ${i}`, EMPTY)
    }
    expect(await saveView(database.db, table, 'One too many', EMPTY)).toEqual({
      ok: false,
      message: `A table has at most ${MAX_VIEWS_PER_TABLE} views`,
    })
    const slugs = (await listViews(database.db, table.id)).map((view) => view.slug)
    expect(new Set(slugs).size).toBe(MAX_VIEWS_PER_TABLE)
    expect(slugs).toContain('same-name')
    expect(slugs).toContain('same-name-2')
    // A name with no letters or digits still makes an address.
    const owner = await createOwner(database, 'symbols')
    const other = await tableWithRows(database, owner, 'Other', [{ name: 'A', type: 'text' }])
    const symbols = await saveView(database.db, other, '!!!', EMPTY)
    expect(symbols.ok && symbols.view.slug).toBe('view')
    const first = (await listViews(database.db, table.id))[0]
    expect(await deleteView(database.db, table.id, first?.id ?? 0)).toBe(true)
    expect(await deleteView(database.db, table.id, first?.id ?? 0)).toBe(false)
  })
})

describe('viewQuery', () => {
  it('turns a state into the address’s parameters by the columns’ current slugs', () => {
    const [a, b, c] = ids()
    const state: ViewState = {
      search: 'wren',
      order: { column: b ?? 0, descending: true },
      filters: [{ column: c ?? 0, operator: 'year', value: '2017' }],
      facets: [a ?? 0, c ?? 0],
      columns: [b ?? 0, a ?? 0],
    }
    expect(viewQuery(table.columns, state)).toEqual({
      query: { search: 'wren', order: '-b', c__year: '2017', _facet: 'a,c', _col: 'b,a' },
      dropped: [],
    })
    expect(
      viewQuery(table.columns, { ...EMPTY, order: { column: null, descending: false } }),
    ).toEqual({
      query: {},
      dropped: [],
    })
  })

  it('drops what belonged to columns that are gone, and says what', () => {
    const state: ViewState = {
      search: '',
      order: { column: 999_001, descending: false },
      filters: [{ column: 999_002, operator: 'gt', value: '3' }],
      facets: [999_003],
      columns: [999_004],
    }
    expect(viewQuery(table.columns, state)).toEqual({
      query: {},
      dropped: ['its sort', 'a filter (gt 3)', 'a facet', 'a shown column'],
    })
  })
})
