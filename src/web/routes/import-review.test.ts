import { sql } from 'kysely'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { findTable, getTableById } from '../../datasource/catalog.js'
import { createTable } from '../../datasource/tables.js'
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

const ORIGIN = { origin: 'http://localhost' }
const withToken = (path: string) => `${path}?_csrf=${encodeURIComponent(alice.csrfToken)}`

// Posts a multipart form the way the upload page does (the CSRF token in the URL).
async function send(page: string, form: FormData) {
  await alice.get(page)
  return alice.request(withToken(page), { method: 'POST', body: form, headers: ORIGIN })
}
const csvFile = (content: string) => new Blob([content], { type: 'text/csv' })
async function review(filename: string, content: string, page = '/alice/tables/import') {
  const form = new FormData()
  form.append('file', csvFile(content), filename)
  const res = await send(page, form)
  expect(res.status).toBe(303)
  const url = res.headers.get('location') ?? ''
  return { url, ...(await alice.get(url)) }
}

const inputValue = (html: string, name: string) =>
  new RegExp(`<input[^>]*\\bname="${name}"[^>]*\\bvalue="([^"]*)"`).exec(html)?.[1] ?? null
const alert = (html: string) =>
  /<p class="alert alert--error" role="alert">([^<]*)<\/p>/.exec(html)?.[1] ?? null
const lookup = (slug: string) => findTable(t.database.db, 'alice', slug)
const CODES = { name: 'Codes', name0: 'Code', type0: 'text', name1: 'Label', type1: 'text' }

describe('the review of a new table', () => {
  it.each([
    [
      'a table name over 100 characters',
      { name: 'n'.repeat(101) },
      [],
      /id="name-error">A name must be at most 100 characters</,
    ],
    ['no table name at all', {}, ['name'], /id="name-error">A name is required</],
    [
      'a column name over 100 characters',
      { name0: 'c'.repeat(101) },
      [],
      /id="name0-error">A name must be at most 100 characters</,
    ],
    [
      'a NUL in a column name',
      { name0: 'Co\u0000de' },
      [],
      /id="name0-error">A name must not contain control characters/,
    ],
    [
      'two columns of one name',
      { name1: 'code' },
      [],
      /id="name1-error">Two columns have this name</,
    ],
    ['a type that does not exist', { type1: 'colour' }, [], /id="name1-error">Choose a type</],
    [
      'a column without a name or type',
      {},
      ['name1', 'type1'],
      /id="name1-error">A name is required</,
    ],
  ])('refuses %s, keeping the upload', async (_case, change, omit, message) => {
    const { url } = await review('codes.csv', 'code,label\nA,Alpha\n')
    const fields: Record<string, string> = { ...CODES, ...change }
    for (const key of omit) delete fields[key]
    const res = await alice.post(url, fields)
    expect(res.status).toBe(400)
    expect(await res.text()).toMatch(message)
    expect((await lookup('codes')).found).toBe('none')
    expect((await alice.request(url)).status).toBe(200)
  })

  it('refuses a name alice already uses, then imports under another', async () => {
    await createTable(t.database.db, { ownerId: aliceId, name: 'Taken', columns: [] })
    const { url } = await review('codes.csv', 'code,label\nA,Alpha\n')
    const taken = await alice.post(url, { ...CODES, name: 'Taken' })
    expect(taken.status).toBe(400)
    expect(await taken.text()).toContain(
      'id="name-error">You already have a table called “taken”: choose another name.<',
    )
    const res = await alice.post(url, { ...CODES, name: 'Not taken' })
    expect(res.headers.get('location')).toBe('/alice/tables/not-taken')
  })

  it('answers 500 when the table’s storage cannot be created, keeping the upload to retry', async () => {
    const { rows } = await sql<{ last_value: number; is_called: boolean }>`
      select last_value, is_called from tables_id_seq`.execute(t.database.db)
    const next = Number(rows[0]?.last_value) + (rows[0]?.is_called ? 1 : 0)
    const stray = sql.id('userdata', `t${next}`)
    await sql`create table ${stray} (id integer)`.execute(t.database.db)
    const { url } = await review('codes.csv', 'code,label\nA,Alpha\n')
    const res = await alice.post(url, { ...CODES, name: 'Blocked' })
    expect(res.status).toBe(500)
    expect((await lookup('blocked')).found).toBe('none')
    await sql`drop table ${stray}`.execute(t.database.db)
    const again = await alice.post(url, { ...CODES, name: 'Blocked' })
    expect(again.headers.get('location')).toBe('/alice/tables/blocked')
  })

  it('suggests “Imported table” when the file name gives no name', async () => {
    const { html } = await review('__.csv', 'a\n1\n')
    expect(inputValue(html, 'name')).toBe('Imported table')
  })

  it('lists ten lines with the wrong number of values, and counts them all', async () => {
    const ragged = Array.from({ length: 12 }, (_, i) => `${i},x,extra`).join('\n')
    const { html } = await review('ragged.csv', `a,b\n1,2\n${ragged}\n`)
    expect(html).toContain('12 rows have a different number of values than the header')
    expect(html.match(/<li>line \d+: 3 values<\/li>/g)).toHaveLength(10)
    expect(html).toContain('<li>line 3: 3 values</li>')
    expect(html).not.toContain('<li>line 13: 3 values</li>')
  })

  it('explains a file with nothing in it that can be read', async () => {
    const { res, html } = await review('blank.csv', '\n\n')
    expect(res.status).toBe(400)
    expect(html).toContain('This file cannot be imported: the file is empty')
  })
})

describe('appending a file to a table', () => {
  async function ringed(): Promise<TableInfo> {
    const table = await createTable(t.database.db, {
      ownerId: aliceId,
      name: `Ringed ${Math.random().toString(36).slice(2, 8)}`,
      columns: [
        { name: 'Ring', type: 'text', unique: true },
        { name: 'Bird', type: 'text', required: true },
      ],
    })
    await alice.get(`/alice/tables/${table.slug}/new`)
    await alice.post(`/alice/tables/${table.slug}/new`, { ring: 'R1', bird: 'Wren' })
    return table
  }
  const rows = async (table: TableInfo) =>
    tableCells((await alice.get(`/alice/tables/${table.slug}`)).html).map((row) => row.slice(2))

  it('asks for a file on the table’s own upload page', async () => {
    const table = await ringed()
    const page = `/alice/tables/${table.slug}/import`
    await alice.get(page)
    const res = await alice.request(withToken(page), {
      method: 'POST',
      body: new URLSearchParams({ note: 'no file' }),
      headers: ORIGIN,
    })
    expect(res.status).toBe(400)
    const html = await res.text()
    expect(alert(html)).toBe('Choose a CSV file to upload.')
    expect(html).toContain(`Import CSV · ${table.name}`)
  })

  it('adds nothing when a value is already used in a unique column', async () => {
    const table = await ringed()
    const { url } = await review(
      'more.csv',
      'ring,bird\nR2,Jay\nR1,Owl\n',
      `/alice/tables/${table.slug}/import`,
    )
    const res = await alice.post(url, { column0: 'ring', column1: 'bird' })
    expect(res.status).toBe(400)
    expect(alert(await res.text())).toMatch(
      /^Nothing was imported\. Line 3: a value is already used by another row \(.*R1.*\)\.$/,
    )
    expect(await rows(table)).toEqual([['R1', 'Wren']])
  })

  it('adds nothing when a required column is left without values', async () => {
    const table = await ringed()
    const { url } = await review('rings.csv', 'ring\nR3\n', `/alice/tables/${table.slug}/import`)
    const res = await alice.post(url, { column0: 'ring' })
    expect(res.status).toBe(400)
    expect(alert(await res.text())).toMatch(/^Nothing was imported\. /)
    expect(await rows(table)).toEqual([['R1', 'Wren']])
  })

  it('answers a 500 when the table’s data has gone missing, adding nothing', async () => {
    const table = await ringed()
    const { url } = await review(
      'more.csv',
      'ring,bird\nR2,Jay\n',
      `/alice/tables/${table.slug}/import`,
    )
    await sql`drop table ${sql.id('userdata', `t${table.id}`)}`.execute(t.database.db)
    const res = await alice.post(url, { column0: 'ring', column1: 'bird' })
    expect(res.status).toBe(500)
    expect(await res.text()).toContain('Something went wrong on our side')
    expect((await getTableById(t.database.db, table.id))?.rowCount).toBe(1)
  })
})
