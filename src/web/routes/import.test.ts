import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { findTable } from '../../datasource/catalog.js'
import { createTable } from '../../datasource/tables.js'
import type { TableInfo } from '../../datasource/types.js'
import { createTestApp, signedInBrowser, type TestApp, tableCells } from '../../test/app.js'
import type { Browser } from '../../test/browser.js'

let t: TestApp
let alice: Browser
let aliceId: number
let bob: Browser
beforeAll(async () => {
  t = await createTestApp()
  ;({
    browser: alice,
    user: { id: aliceId },
  } = await signedInBrowser(t, 'alice'))
  ;({ browser: bob } = await signedInBrowser(t, 'bob'))
})
afterAll(() => t.database.close())

// Uploads a file from the upload page's form, whose action carries the CSRF token.
async function upload(
  browser: Browser,
  page: string,
  filename: string,
  content: string | Uint8Array<ArrayBuffer>,
) {
  const { html } = await browser.get(page)
  const action =
    /<form method="post" action="([^"]*)" enctype="multipart\/form-data"/.exec(html)?.[1] ?? ''
  expect(action).toMatch(/\?_csrf=./)
  const form = new FormData()
  form.append('file', new Blob([content], { type: 'text/csv' }), filename)
  return browser.request(action.replaceAll('&amp;', '&'), {
    method: 'POST',
    body: form,
    headers: { origin: 'http://localhost' },
  })
}

// Uploads for a new table and opens the review page.
async function review(filename: string, content: string | Uint8Array<ArrayBuffer>) {
  const res = await upload(alice, '/alice/tables/import', filename, content)
  expect(res.status).toBe(303)
  const url = res.headers.get('location') ?? ''
  expect(url).toMatch(new RegExp(`^/alice/tables/import/${aliceId}-[\\w-]{16}$`))
  return { url, ...(await alice.get(url)) }
}

const inputValue = (html: string, name: string) =>
  new RegExp(`<input[^>]*\\bname="${name}"[^>]*\\bvalue="([^"]*)"`).exec(html)?.[1] ?? null
const selected = (html: string, name: string) =>
  new RegExp(`name="${name}">[\\s\\S]*?<option value="([^"]*)" selected>`).exec(html)?.[1] ?? null
const reviewed = (html: string, count: number) =>
  Array.from({ length: count }, (_, i) => [
    inputValue(html, `name${i}`),
    selected(html, `type${i}`),
  ])
const alert = (html: string) =>
  /<p class="alert alert--error" role="alert">([^<]*)<\/p>/.exec(html)?.[1] ?? null
const lookup = (slug: string) => findTable(t.database.db, 'alice', slug)

describe('importing a CSV file as a new table', () => {
  it('reviews the inferred names and types, then creates the table with its rows', async () => {
    const csv = 'Species,Count,First seen\nWren,3,2017-06-08\nRobin,,2017-06-09\n'
    const { url, html } = await review('garden_birds.csv', csv)
    expect(html).toContain('<strong>garden_birds.csv</strong> · 2 rows · UTF-8 · comma separated')
    expect(inputValue(html, 'name')).toBe('garden birds')
    expect(reviewed(html, 3)).toEqual([
      ['Species', 'text'],
      ['Count', 'integer'],
      ['First seen', 'date'],
    ])
    expect(html).toContain('>Import 2 rows</button>')
    const fields = {
      name: 'Birds 2017',
      name0: 'Bird',
      type0: 'text',
      name1: 'Count',
      type1: 'decimal',
      name2: 'Seen on',
      type2: 'date',
    }
    const res = await alice.post(url, fields)
    expect(res.status).toBe(303)
    expect(res.headers.get('location')).toBe('/alice/tables/birds-2017')
    const page = await alice.get('/alice/tables/birds-2017')
    expect(tableCells(page.html)).toEqual([
      ['', '1', 'Wren', '3', '2017-06-08'],
      ['', '2', 'Robin', '', '2017-06-09'],
    ])
    const found = await lookup('birds-2017')
    expect(found.found === 'table' && found.table.columns.map((c) => [c.name, c.type])).toEqual([
      ['Bird', 'text'],
      ['Count', 'decimal'],
      ['Seen on', 'date'],
    ])
    // The upload is gone once imported.
    expect((await alice.request(url)).status).toBe(404)
  })

  it('reads a Windows-1252 file separated by semicolons', async () => {
    const csv = new Uint8Array(Buffer.from('Straße;Zähler\nMünchen;3\nKöln;4\n', 'latin1'))
    const { url, html } = await review('städte.csv', csv)
    expect(html).toContain('2 rows · Windows-1252 (Latin-1) · semicolon separated')
    expect(reviewed(html, 2)).toEqual([
      ['Straße', 'text'],
      ['Zähler', 'integer'],
    ])
    const res = await alice.post(url, {
      name: 'Städte',
      name0: 'Straße',
      type0: 'text',
      name1: 'Zähler',
      type1: 'integer',
      visibility: 'private',
    })
    expect(res.status).toBe(303)
    const page = await alice.get(res.headers.get('location') ?? '')
    expect(page.html).toContain('<span class="badge">Private</span>')
    expect(tableCells(page.html).map((row) => row.slice(2))).toEqual([
      ['München', '3'],
      ['Köln', '4'],
    ])
  })

  it('reports rows with the wrong number of values, and will not import them', async () => {
    const { url, html } = await review('ragged.csv', 'a,b\n1,2\n3\n4,5\n6,7,8\n')
    expect(html).toContain('2 rows have a different number of values than the header')
    expect(html).toContain('<li>line 3: 1 values</li>')
    expect(html).toContain('<li>line 5: 3 values</li>')
    expect(html).toContain('disabled>Import 4 rows</button>')
    const res = await alice.post(url, {
      name: 'Ragged',
      name0: 'a',
      type0: 'integer',
      name1: 'b',
      type1: 'integer',
    })
    expect(res.status).toBe(400)
    expect(alert(await res.text())).toBe(
      'Nothing was imported. Line 3: expected 2 values but found 1.',
    )
    expect((await lookup('ragged')).found).toBe('none')
  })

  it('imports nothing when a value does not suit the chosen type, naming the line and column', async () => {
    const { url, html } = await review('people.csv', 'Name,Age\nAnn,30\nBob,old\n')
    expect(selected(html, 'type1')).toBe('text')
    const res = await alice.post(url, {
      name: 'People',
      name0: 'Name',
      type0: 'text',
      name1: 'Age',
      type1: 'integer',
    })
    expect(res.status).toBe(400)
    const page = await res.text()
    expect(alert(page)).toBe('Nothing was imported. Line 3, column “Age”: Must be a whole number.')
    expect(selected(page, 'type1')).toBe('integer')
    expect((await lookup('people')).found).toBe('none')
    // The upload is kept, so the choice can be corrected.
    const fixed = await alice.post(url, {
      name: 'People',
      name0: 'Name',
      type0: 'text',
      name1: 'Age',
      type1: 'text',
    })
    expect(fixed.status).toBe(303)
  })

  it.each([
    ['a blank table name', { name: ' ' }, /id="name-error">A name is required</],
    ['a blank column name', { name0: '' }, /id="name0-error">A name is required</],
    [
      'two columns with one name',
      { name1: 'CODE' },
      /id="name1-error">Two columns have this name</,
    ],
    ['an unknown type', { type1: 'colour' }, /id="name1-error">Choose a type</],
  ])('refuses %s on the review page', async (_case, change, message) => {
    const { url } = await review('codes.csv', 'code,label\nA,Alpha\n')
    const res = await alice.post(url, {
      name: 'Codes',
      name0: 'Code',
      type0: 'text',
      name1: 'Label',
      type1: 'text',
      ...change,
    })
    expect(res.status).toBe(400)
    expect(await res.text()).toMatch(message)
    expect((await lookup('codes')).found).toBe('none')
  })

  it('asks for a file when none was sent', async () => {
    const res = await upload(alice, '/alice/tables/import', 'empty.csv', '')
    expect(res.status).toBe(400)
    expect(alert(await res.text())).toBe('Choose a CSV file to upload.')
  })
})

describe('appending a CSV file to a table', () => {
  async function sightings(): Promise<TableInfo> {
    const name = `Sightings ${Math.random().toString(36).slice(2, 8)}`
    const columns = [
      { name: 'Bird', type: 'text' as const },
      { name: 'Count', type: 'integer' as const, required: true },
    ]
    return createTable(t.database.db, { ownerId: aliceId, name, columns })
  }
  async function appendReview(table: TableInfo, csv: string) {
    const res = await upload(alice, `/alice/tables/${table.slug}/import`, 'more.csv', csv)
    expect(res.status).toBe(303)
    const url = res.headers.get('location') ?? ''
    expect(url).toMatch(new RegExp(`^/alice/tables/${table.slug}/import/${aliceId}-`))
    return { url, ...(await alice.get(url)) }
  }

  it('matches columns by name, lets the owner map the rest, and adds the rows', async () => {
    const table = await sightings()
    const { url, html } = await appendReview(table, 'count,Species,Notes\n2,Jay,noisy\n7,Owl,\n')
    expect(selected(html, 'column0')).toBe('count')
    expect(selected(html, 'column1')).toBeNull()
    expect(html).toContain('>Add 2 rows</button>')
    const res = await alice.post(url, { column0: 'count', column1: 'bird', column2: '' })
    expect(res.status).toBe(303)
    expect(res.headers.get('location')).toBe(`/alice/tables/${table.slug}?imported=2`)
    const page = await alice.get(res.headers.get('location') ?? '')
    expect(page.html).toContain('Imported 2 rows.')
    expect(tableCells(page.html).map((row) => row.slice(2))).toEqual([
      ['Jay', '2'],
      ['Owl', '7'],
    ])
  })

  it.each([
    [
      'no column matched',
      { column0: '', column1: '' },
      'Match at least one CSV column to a table column.',
    ],
    [
      'two CSV columns into one',
      { column0: 'count', column1: 'count' },
      'Each table column can receive only one CSV column.',
    ],
    [
      'a missing required value',
      { column0: 'bird', column1: 'count' },
      'Nothing was imported. Line 3, column “Count”: A value is required.',
    ],
  ])('refuses %s and adds nothing', async (_case, mapping, message) => {
    const table = await sightings()
    const { url } = await appendReview(table, 'bird,count\nJay,2\nOwl,\n')
    const res = await alice.post(url, mapping)
    expect(res.status).toBe(400)
    expect(alert(await res.text())).toBe(message)
    expect(tableCells((await alice.get(`/alice/tables/${table.slug}`)).html)).toEqual([])
  })
})

describe('uploads that are not there', () => {
  it('answers 404 for an upload of someone else, one that expired, or a made-up id', async () => {
    const { url } = await review('mine.csv', 'a\n1\n')
    const id = url.split('/').at(-1) ?? ''
    const table = await createTable(t.database.db, {
      ownerId: aliceId,
      name: 'Upload Target',
      columns: [{ name: 'a', type: 'text' }],
    })
    for (const path of [
      `/bob/tables/import/${id}`,
      '/bob/tables/import/1-AAAAAAAAAAAAAAAA',
      '/bob/tables/import/nonsense',
    ]) {
      const { res, html } = await bob.get(path)
      expect(res.status).toBe(404)
      expect(html).toContain('This upload has expired. Please upload the file again.')
    }
    expect(
      (await bob.post(`/bob/tables/import/${id}`, { name: 'Stolen', name0: 'a', type0: 'text' }))
        .status,
    ).toBe(404)
    expect((await alice.request(`/alice/tables/import/${aliceId}-AAAAAAAAAAAAAAAA`)).status).toBe(
      404,
    )
    expect(
      (await alice.request(`/alice/tables/${table.slug}/import/${aliceId}-AAAAAAAAAAAAAAAA`))
        .status,
    ).toBe(404)
    expect((await findTable(t.database.db, 'bob', 'stolen')).found).toBe('none')
    // Alice's own upload is still there for her.
    expect((await alice.request(url)).status).toBe(200)
  })
})
