import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { getRow } from '../../datasource/rows.js'
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

let tables = 0
async function contacts(): Promise<TableInfo> {
  return createTable(t.database.db, {
    ownerId: aliceId,
    name: `Contacts ${++tables}`,
    columns: [
      { name: 'Name', type: 'text', required: true },
      { name: 'Age', type: 'integer' },
      { name: 'Email', type: 'email', unique: true },
      { name: 'Website', type: 'url' },
      { name: 'Born', type: 'date' },
      { name: 'Active', type: 'boolean' },
    ],
  })
}

const GOOD = {
  name: 'Ada',
  age: '36',
  email: 'ada@example.com',
  website: 'https://ada.dev',
  born: '1815-12-10',
}
const base = (table: TableInfo) => `/alice/tables/${table.slug}`
const fieldError = (html: string, slug: string) =>
  new RegExp(`<p class="field__error" id="field-${slug}-error">([^<]*)</p>`).exec(html)?.[1] ?? null
const inputValue = (html: string, slug: string) =>
  new RegExp(`<input[^>]*\\bname="${slug}"[^>]*\\bvalue="([^"]*)"`).exec(html)?.[1] ?? null
const hiddenVersion = (html: string) => /name="_version" value="(\d+)"/.exec(html)?.[1] ?? ''
// The row page's values, by column name.
const shownFields = (html: string) =>
  Object.fromEntries(
    [...html.matchAll(/<dt>([^<]*)<\/dt>\s*<dd[^>]*>([^<]*)<\/dd>/g)].map((m) => [m[1], m[2]]),
  )

async function addRow(table: TableInfo, fields: Record<string, string>) {
  await alice.get(`${base(table)}/new`)
  return alice.post(`${base(table)}/new`, fields)
}

describe('a new row', () => {
  it('refuses bad values with a message beside each field, keeping what was typed', async () => {
    const table = await contacts()
    const bad = {
      name: '  ',
      age: 'ten',
      email: 'nope',
      website: 'ftp://x',
      born: '2017-02-30',
      active: 'maybe',
    }
    const res = await addRow(table, bad)
    expect(res.status).toBe(400)
    const html = await res.text()
    expect(html).toContain('Please correct the marked fields.')
    expect({
      name: fieldError(html, 'name'),
      age: fieldError(html, 'age'),
      email: fieldError(html, 'email'),
      website: fieldError(html, 'website'),
      born: fieldError(html, 'born'),
      active: fieldError(html, 'active'),
    }).toEqual({
      name: 'A value is required',
      age: 'Must be a whole number',
      email: 'Must be a valid email address',
      website: 'Must be a web address starting with http:// or https://',
      born: 'Must be a date like 2017-06-08',
      active: 'Must be yes or no',
    })
    for (const slug of ['age', 'email', 'website', 'born']) {
      expect(inputValue(html, slug)).toBe(bad[slug as keyof typeof bad])
    }
    expect(html).toContain('aria-describedby="field-age-error"')
    expect(tableCells((await alice.get(base(table))).html)).toEqual([])
  })

  it('saves the corrected form and shows the new row', async () => {
    const table = await contacts()
    expect((await addRow(table, { ...GOOD, age: 'x' })).status).toBe(400)
    const res = await alice.post(`${base(table)}/new`, GOOD)
    expect(res.status).toBe(303)
    expect(res.headers.get('location')).toBe(`${base(table)}/1`)
    const { html } = await alice.get(`${base(table)}/1`)
    expect(shownFields(html)).toEqual({
      Name: 'Ada',
      Age: '36',
      Email: 'ada@example.com',
      Website: 'https://ada.dev',
      Born: '1815-12-10',
      Active: '—',
    })
  })

  it('saves a yes/no value', async () => {
    const table = await contacts()
    const res = await addRow(table, { ...GOOD, active: 'yes' })
    expect(res.status).toBe(303)
    expect(shownFields((await alice.get(`${base(table)}/1`)).html).Active).toBe('Yes')
    const { html } = await alice.get(`${base(table)}/1/edit`)
    expect(html).toContain('<option value="true" selected>Yes</option>')
  })

  it('comes back to an empty form after “Save and add another”', async () => {
    const table = await contacts()
    const res = await addRow(table, { ...GOOD, _another: '1' })
    expect(res.status).toBe(303)
    expect(res.headers.get('location')).toBe(`${base(table)}/new?added=1`)
    const { html } = await alice.get(res.headers.get('location') ?? '')
    expect(html).toContain('Save and add another')
    expect(inputValue(html, 'name')).toBe('')
    expect(tableCells((await alice.get(base(table))).html)[0]?.slice(1, 3)).toEqual(['1', 'Ada'])
  })

  it('refuses a value a unique column already holds', async () => {
    const table = await contacts()
    await addRow(table, GOOD)
    const res = await addRow(table, { ...GOOD, name: 'Other', email: ' ada@example.com ' })
    expect(res.status).toBe(400)
    const html = await res.text()
    expect(fieldError(html, 'email')).toBe('Already used by another row')
    expect(fieldError(html, 'name')).toBeNull()
    expect(tableCells((await alice.get(base(table))).html)).toHaveLength(1)
  })
})

describe('editing a row', () => {
  it('shows the saved values and saves the changes', async () => {
    const table = await contacts()
    await addRow(table, GOOD)
    const { html } = await alice.get(`${base(table)}/1/edit`)
    expect(inputValue(html, 'email')).toBe('ada@example.com')
    expect(html).toContain('<option value="" selected>—</option>')
    expect(html).not.toContain('Save and add another')
    const res = await alice.post(`${base(table)}/1/edit`, {
      ...GOOD,
      _version: hiddenVersion(html),
      age: '37',
      website: '',
    })
    expect(res.status).toBe(303)
    expect(res.headers.get('location')).toBe(`${base(table)}/1`)
    const shown = shownFields((await alice.get(`${base(table)}/1`)).html)
    expect(shown).toMatchObject({ Name: 'Ada', Age: '37', Website: '—' })
  })

  it('refuses a bad value and keeps the row as it was', async () => {
    const table = await contacts()
    await addRow(table, GOOD)
    const { html } = await alice.get(`${base(table)}/1/edit`)
    const res = await alice.post(`${base(table)}/1/edit`, {
      ...GOOD,
      _version: hiddenVersion(html),
      age: '3.5',
    })
    expect(res.status).toBe(400)
    const page = await res.text()
    expect(fieldError(page, 'age')).toBe('Must be a whole number')
    expect(inputValue(page, 'age')).toBe('3.5')
    expect((await getRow(t.database.db, table, 1))?.cells[1]).toBe('36')
  })

  it('refuses to save a form opened before someone else saved, showing their values', async () => {
    const table = await contacts()
    await addRow(table, GOOD)
    const first = hiddenVersion((await alice.get(`${base(table)}/1/edit`)).html)
    const second = hiddenVersion((await alice.get(`${base(table)}/1/edit`)).html)
    expect(second).toBe(first)
    const saved = await alice.post(`${base(table)}/1/edit`, {
      ...GOOD,
      _version: first,
      name: 'Ada Lovelace',
    })
    expect(saved.status).toBe(303)
    const stale = await alice.post(`${base(table)}/1/edit`, {
      ...GOOD,
      _version: second,
      name: 'Countess',
    })
    expect(stale.status).toBe(409)
    const html = await stale.text()
    expect(html).toContain('Someone else saved this row while you were editing it.')
    expect(inputValue(html, 'name')).toBe('Ada Lovelace')
    expect(Number(hiddenVersion(html))).toBe(Number(first) + 1)
    expect((await getRow(t.database.db, table, 1))?.cells[0]).toBe('Ada Lovelace')
  })
})

describe('deleting rows', () => {
  it('asks for confirmation, then deletes the row', async () => {
    const table = await contacts()
    await addRow(table, GOOD)
    const { html } = await alice.get(`${base(table)}/1/delete`)
    expect(html).toContain('<h1>Delete row 1?</h1>')
    expect(shownFields(html)).toMatchObject({ Name: 'Ada', Email: 'ada@example.com' })
    expect(html).toContain(`href="${base(table)}/1">Cancel</a>`)
    const res = await alice.post(`${base(table)}/1/delete`)
    expect(res.status).toBe(303)
    expect(res.headers.get('location')).toBe(`${base(table)}?deleted=1`)
    const page = await alice.get(res.headers.get('location') ?? '')
    expect(page.html).toContain('Deleted 1 row.')
    expect(page.html).toContain('No rows yet')
    expect((await alice.request(`${base(table)}/1`)).status).toBe(404)
  })

  it('deletes the selected rows and goes back to the same search and sort', async () => {
    const table = await contacts()
    for (const name of ['Ann', 'Bob', 'Anna', 'Andy']) await addRow(table, { name })
    const view = `${base(table)}?search=an&order=-name`
    const { html } = await alice.get(view)
    expect(tableCells(html).map((row) => row[2])).toEqual(['Anna', 'Ann', 'Andy'])
    const back = (/name="back" value="([^"]*)"/.exec(html)?.[1] ?? '').replaceAll('&amp;', '&')
    expect(back).toBe(view)
    const body = new URLSearchParams([
      ['_csrf', alice.csrfToken],
      ['back', back],
      ['ids', '1'],
      ['ids', '3'],
      ['ids', '999'],
    ])
    const res = await alice.request(`${base(table)}/delete-rows`, {
      method: 'POST',
      body,
      headers: { 'content-type': 'application/x-www-form-urlencoded', origin: 'http://localhost' },
    })
    expect(res.status).toBe(303)
    expect(res.headers.get('location')).toBe(`${view}&deleted=2`)
    const after = await alice.get(res.headers.get('location') ?? '')
    expect(after.html).toContain('Deleted 2 rows.')
    expect(after.html).toContain('value="an"')
    expect(tableCells(after.html).map((row) => row[2])).toEqual(['Andy'])
    expect(tableCells((await alice.get(base(table))).html).map((row) => row[2])).toEqual([
      'Bob',
      'Andy',
    ])
  })

  it('ignores a back address outside the table', async () => {
    const table = await contacts()
    await addRow(table, GOOD)
    await alice.get(base(table))
    const res = await alice.post(`${base(table)}/delete-rows`, {
      back: 'https://evil.example/',
      ids: '1',
    })
    expect(res.headers.get('location')).toBe(`${base(table)}?deleted=1`)
  })
})
