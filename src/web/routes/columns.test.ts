import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { CsvRecord } from '../../csv/index.js'
import { getTableById } from '../../datasource/catalog.js'
import type { ColumnType } from '../../datasource/column-types.js'
import { importNewTable } from '../../datasource/import.js'
import type { TableInfo } from '../../datasource/types.js'
import { createTestApp, signedInBrowser, type TestApp, tableCells } from '../../test/app.js'
import type { Browser } from '../../test/browser.js'

let t: TestApp
let alice: Browser
let aliceId: number
beforeAll(async () => {
  t = await createTestApp()
  ;({
    browser: alice,
    user: { id: aliceId },
  } = await signedInBrowser(t, 'alice'))
})
afterAll(() => t.database.close())

let tables = 0
// A fresh table of alice's with text columns holding `rows` (blank cells are NULL).
async function makeTable(headers: string[], rows: string[][] = []): Promise<TableInfo> {
  async function* records(): AsyncGenerator<CsvRecord> {
    for (const [index, fields] of rows.entries()) yield { line: index + 2, fields }
  }
  const columns = headers.map((name) => ({ name, type: 'text' as ColumnType }))
  const name = `Table ${++tables}`
  return (await importNewTable(t.database, { ownerId: aliceId, name, columns }, records())).table
}

const columnsUrl = (table: TableInfo) => `/alice/tables/${table.slug}/columns`
const reload = async (table: TableInfo) =>
  (await getTableById(t.database.db, table.id)) as TableInfo
const fieldError = (html: string, id: string) =>
  new RegExp(`<p class="field__error" id="${id}-error">([^<]*)</p>`).exec(html)?.[1] ?? null
// Column names as the table page's headers show them, left to right.
const headers = (html: string) =>
  [...html.matchAll(/<a class="sort[^"]*" href="[^"]*">([^<]*)<\/a>/g)].map((m) => m[1])
// What the columns page lists: name, then type and flags.
const listed = (html: string) =>
  [...html.matchAll(/<strong>([^<]*)<\/strong> <span class="muted">([^<]*)<\/span>/g)].map(
    (m) => `${m[1]}: ${m[2]}`,
  )

async function post(path: string, fields: Record<string, string>) {
  await alice.get(path)
  return alice.post(path, fields)
}

describe('adding columns', () => {
  it.each([
    ['Name', { type: 'text', unique: '1' }, 'Name: Text · unique', ''],
    ['Notes', { type: 'long_text' }, 'Notes: Long text', ''],
    [
      'Count',
      { type: 'integer', required: '1', default_value: '0' },
      'Count: Integer · required · default 0',
      '0',
    ],
    ['Price', { type: 'decimal', default_value: '9.99' }, 'Price: Decimal · default 9.99', '9.99'],
    ['Seen', { type: 'boolean', default_value: 'yes' }, 'Seen: Yes / no · default true', 'Yes'],
    [
      'Born',
      { type: 'date', default_value: '2017-06-08' },
      'Born: Date · default 2017-06-08',
      '2017-06-08',
    ],
    ['When', { type: 'datetime' }, 'When: Date and time', ''],
    [
      'Size',
      { type: 'choice', choices: 'Small\n\nLarge\n', default_value: 'Small' },
      'Size: Choice · default Small',
      'Small',
    ],
    ['Email', { type: 'email', unique: '1' }, 'Email: Email · unique', ''],
    ['Site', { type: 'url' }, 'Site: URL', ''],
    ['Data', { type: 'json', default_value: '[1, 2]' }, 'Data: JSON · default [1, 2]', '[1, 2]'],
  ])('adds a %s column with its options', async (name, fields, shown, cell) => {
    const table = await makeTable(['Existing'], [['x']])
    const res = await post(columnsUrl(table), { name, ...fields })
    expect(res.status).toBe(303)
    expect(res.headers.get('location')).toBe(columnsUrl(table))
    const { html } = await alice.get(columnsUrl(table))
    expect(listed(html)).toEqual(['Existing: Text', shown])
    const column = (await reload(table)).columns[1]
    expect(column).toMatchObject({
      name,
      type: fields.type,
      required: 'required' in fields,
      unique: 'unique' in fields,
    })
    if (fields.type === 'choice') expect(column?.choices).toEqual(['Small', 'Large'])
    // The existing row takes the default.
    const page = await alice.get(`/alice/tables/${table.slug}`)
    expect(headers(page.html)).toEqual(['Existing', name])
    expect(tableCells(page.html)[0]).toEqual(['', '1', 'x', cell])
  })

  it.each([
    ['a blank name', { name: ' ', type: 'text' }, 'name', 'A name is required'],
    ['an unknown type', { name: 'Odd', type: 'colour' }, 'type', 'Choose a type'],
    [
      'a choice column without choices',
      { name: 'Size', type: 'choice', choices: '\n' },
      'choices',
      'Give at least one choice',
    ],
    [
      'a default that is not of the type',
      { name: 'Count', type: 'integer', default_value: 'many' },
      'default_value',
      'Must be a whole number',
    ],
    [
      'a required column with no default on a table with rows',
      { name: 'Must', type: 'text', required: '1' },
      'default_value',
      '1 row would have no value; give a default value',
    ],
    [
      'a unique column whose default every row would share',
      { name: 'Key', type: 'text', unique: '1', default_value: 'k' },
      'unique',
      '2 rows would all get the default value, so it cannot be unique',
    ],
  ])('refuses %s, keeping the form', async (_case, fields, field, message) => {
    const table = await makeTable(['Existing'], [['x'], ...(field === 'unique' ? [['y']] : [])])
    const res = await post(columnsUrl(table), fields)
    expect(res.status).toBe(400)
    const html = await res.text()
    expect(fieldError(html, field)).toBe(message)
    expect(html).toContain(`value="${fields.name}"`)
    expect((await reload(table)).columns.map((column) => column.name)).toEqual(['Existing'])
  })
})

describe('changing columns', () => {
  it('moves a column up and down, and the table page follows', async () => {
    const table = await makeTable(['A', 'B', 'C'], [['a', 'b', 'c']])
    expect((await post(`${columnsUrl(table)}/c/move`, { direction: 'up' })).status).toBe(303)
    let page = await alice.get(`/alice/tables/${table.slug}`)
    expect(headers(page.html)).toEqual(['A', 'C', 'B'])
    expect(tableCells(page.html)[0]).toEqual(['', '1', 'a', 'c', 'b'])
    await post(`${columnsUrl(table)}/a/move`, { direction: 'down' })
    // At the end nothing moves.
    await post(`${columnsUrl(table)}/b/move`, { direction: 'down' })
    page = await alice.get(`/alice/tables/${table.slug}`)
    expect(headers(page.html)).toEqual(['C', 'A', 'B'])
    expect(listed((await alice.get(columnsUrl(table))).html)).toEqual([
      'C: Text',
      'A: Text',
      'B: Text',
    ])
  })

  it('renames a column: the header changes and the values stay', async () => {
    const table = await makeTable(['Colour'], [['red'], ['blue']])
    const { html } = await alice.get(`${columnsUrl(table)}/colour`)
    expect(html).toContain('value="Colour"')
    const res = await alice.post(`${columnsUrl(table)}/colour`, { name: 'Shade', type: 'text' })
    expect(res.status).toBe(303)
    const page = await alice.get(`/alice/tables/${table.slug}`)
    expect(headers(page.html)).toEqual(['Shade'])
    expect(page.html).toContain('?order=shade')
    expect(tableCells(page.html).map((row) => row[2])).toEqual(['red', 'blue'])
  })

  it('changes the type when every value converts, keeping the values', async () => {
    const table = await makeTable(['Count'], [['1'], [' 22 '], ['']])
    const res = await post(`${columnsUrl(table)}/count`, { name: 'Count', type: 'integer' })
    expect(res.status).toBe(303)
    expect((await reload(table)).columns[0]?.type).toBe('integer')
    const json = await (
      await alice.request(`/alice/tables/${table.slug}?format=json&order=count`)
    ).json()
    expect(json.rows.map((row: { values: { count: unknown } }) => row.values.count)).toEqual([
      1,
      22,
      null,
    ])
  })

  it('refuses a type change some values cannot make, with a count and an example', async () => {
    const table = await makeTable(['Count'], [['1'], ['two'], ['three']])
    const res = await post(`${columnsUrl(table)}/count`, { name: 'Number', type: 'integer' })
    expect(res.status).toBe(400)
    const html = await res.text()
    expect(fieldError(html, 'type')).toBe(
      '2 values would not convert to Integer, e.g. row 2: “two”',
    )
    expect(html).toContain('value="Number"')
    expect((await reload(table)).columns[0]).toMatchObject({ name: 'Count', type: 'text' })
    const page = await alice.get(`/alice/tables/${table.slug}`)
    expect(tableCells(page.html).map((row) => row[2])).toEqual(['1', 'two', 'three'])
  })

  it.each([
    ['required', [['a'], [''], ['c'], ['']], 'required', '2 rows have no value: rows 2, 4'],
    ['unique', [['a'], ['b'], ['a'], ['b']], 'unique', '“a” is repeated in rows 1, 3'],
  ])(
    'refuses to make a column %s while rows break the rule, naming them',
    async (flag, rows, field, message) => {
      const table = await makeTable(['Code'], rows)
      const res = await post(`${columnsUrl(table)}/code`, {
        name: 'Code',
        type: 'text',
        [flag]: '1',
      })
      expect(res.status).toBe(400)
      expect(fieldError(await res.text(), field)).toBe(message)
      expect((await reload(table)).columns[0]).toMatchObject({ required: false, unique: false })
    },
  )

  it('deletes a column and its values, keeping the others', async () => {
    const table = await makeTable(['Keep', 'Drop'], [['k', 'd']])
    const res = await post(`${columnsUrl(table)}/drop/delete`, {})
    expect(res.status).toBe(303)
    const page = await alice.get(`/alice/tables/${table.slug}`)
    expect(headers(page.html)).toEqual(['Keep'])
    expect(tableCells(page.html)).toEqual([['', '1', 'k']])
    expect((await reload(table)).columns.map((column) => column.slug)).toEqual(['keep'])
    expect((await alice.request(`${columnsUrl(table)}/drop`)).status).toBe(404)
  })
})
