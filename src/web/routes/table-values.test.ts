import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { insertRows } from '../../datasource/row-inserts.js'
import { createTable } from '../../datasource/tables.js'
import type { TableInfo } from '../../datasource/types.js'
import { createTestApp, signedInBrowser, type TestApp, tableCells } from '../../test/app.js'

let t: TestApp
let table: TableInfo
const NOTE = `${'Lorem ipsum dolor sit amet. '.repeat(3600)}THE END`
const DATA = '{"a": 1e309, "n": 9223372036854775807, "s": "x"}'

beforeAll(async () => {
  t = await createTestApp()
  const { user } = await signedInBrowser(t, 'alice')
  table = await createTable(t.database.db, {
    ownerId: user.id,
    name: 'Values',
    columns: [
      { name: 'Notes', type: 'long_text' },
      { name: 'Data', type: 'json' },
      { name: 'Big', type: 'integer' },
      { name: 'Amount', type: 'decimal' },
    ],
  })
  const rows = Array.from({ length: 25 }, (_, index) => ({
    notes: index === 0 ? NOTE : `${NOTE} ${index}`,
    data: DATA,
    big: '9223372036854775807',
    amount: '0.1000000000000000000001',
  }))
  const inserted = await insertRows(t.database.db, table, rows)
  if (!inserted.ok) throw new Error(JSON.stringify(inserted.errors))
})
afterAll(() => t.database.close())

const PAGE = '/alice/tables/values'
const get = (path: string) => t.app.request(`http://localhost${path}`)

describe('long values', () => {
  it('are cut to 300 characters in the grid, with an ellipsis, so a page stays small', async () => {
    const res = await get(PAGE)
    const html = await res.text()
    expect(NOTE.length * 25).toBeGreaterThan(2_500_000)
    expect(html.length).toBeLessThan(60_000)
    const [first] = tableCells(html)
    expect(first?.[1]).toBe(`${NOTE.slice(0, 300).trimEnd()}…`)
    expect(first?.[2]).toBe(`{&quot;a&quot;: 1${'0'.repeat(293)}…`)
    // Hovering shows what was read, and says it was cut.
    expect(html).toMatch(
      /class="[^"]*is-truncated" title="[^"]{300,}… \(cut short here: open the row to see it all\)"/,
    )
  })

  it('are cut in the page’s JSON too, and flagged by slug', async () => {
    const res = await get(`${PAGE}?format=json`)
    const text = await res.text()
    expect(text.length).toBeLessThan(40_000)
    const page = JSON.parse(text)
    expect(page.rows[0].values.notes).toBe(NOTE.slice(0, 300).trimEnd())
    expect(page.rows[0].truncated).toEqual(['notes', 'data'])
    expect(page.rows[0].values.big).toBe('9223372036854775807')
    // Decimals are written with every digit, as JSON numbers.
    expect(text).toContain('"amount":0.1000000000000000000001}')
  })

  it('are whole on the row page and in its JSON, numbers exact', async () => {
    const html = await (await get(`${PAGE}/1`)).text()
    expect(html).toContain('THE END')
    const text = await (await get(`${PAGE}/1?format=json`)).text()
    expect(text).toContain(`"data":{"a": 1${'0'.repeat(309)}, "n": 9223372036854775807, "s": "x"}`)
    expect(JSON.parse(text).values.notes).toBe(NOTE)
  })

  it('are whole in the exports, numbers exact', async () => {
    const json = await (await get(`${PAGE}/export.json`)).text()
    expect(json).toContain(`"data":{"a": 1${'0'.repeat(309)}, "n": 9223372036854775807`)
    expect(json).toContain('"big":"9223372036854775807","amount":0.1000000000000000000001}')
    expect(JSON.parse(json)[0].notes).toBe(NOTE)
    const csv = await (await get(`${PAGE}/export.csv`)).text()
    expect(csv).toContain(`${NOTE} 24,`)
  })
})
