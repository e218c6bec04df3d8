// Link display values through the API and the pages: the display column (chosen, changed, refused),
// the row form's picker (a select, or the id field with search as you type), its JSON search, and
// what another reader may search by, on whichever driver the tests run.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { tokenActor } from '../application/actor.js'
import { NotFoundError } from '../application/errors.js'
import { findLinkChoices, linkPickers, linksSeenBy } from '../application/links.js'
import { findTable } from '../datasource/catalog.js'
import { apiRequest, tokenFor } from '../test/api.js'
import {
  anonymousBrowser,
  createTestApp,
  signedInBrowser,
  type TestApp,
  tableCells,
} from '../test/app.js'
import type { Browser } from '../test/browser.js'
import { birdTable } from '../test/tables.js'

let t: TestApp
let token: string
let ada: Browser
let grace: Browser
beforeAll(async () => {
  t = await createTestApp()
  const signedIn = await signedInBrowser(t, 'ada')
  ada = signedIn.browser
  token = await tokenFor(t, signedIn.user.id, ['read', 'write', 'schema'])
  grace = (await signedInBrowser(t, 'grace')).browser
  // Birds: 1 Wren, 2 Robin. Many: 1 Wren, 2 Robin, then 250 more.
  await birdTable(t, signedIn.user.id, 'Birds')
  await birdTable(t, signedIn.user.id, 'Many', { extra: 250 })
})
afterAll(() => t.database.close())

const call = async (method: string, path: string, body?: unknown) => {
  const res = await apiRequest(t, method, `/ada${path}`, { token, body })
  const text = await res.text()
  // biome-ignore lint/suspicious/noExplicitAny: answers of several shapes, read field by field
  return { status: res.status, body: (text ? JSON.parse(text) : null) as Record<string, any> }
}

const pointers = (body: Record<string, unknown>) =>
  (body.errors as { pointer: string }[]).map((error) => error.pointer)

let tables = 0
// A table of sightings with a link to `target`, and rows linking to ids.
async function sightings(target: string, ids: number[] = [], display?: string | null) {
  const made = await call('POST', '/tables', {
    name: `Sightings ${++tables}`,
    columns: [
      { name: 'Place', type: 'text' },
      {
        name: 'Bird',
        type: 'link',
        link: { table: target, on_delete: 'clear', ...(display === undefined ? {} : { display }) },
      },
    ],
  })
  expect(made.status).toBe(201)
  const slug = made.body.slug as string
  for (const [index, id] of ids.entries()) {
    expect(
      (await call('POST', `/tables/${slug}/rows`, { place: `P${index}`, bird: id })).status,
    ).toBe(201)
  }
  return slug
}

describe('the display column through the API', () => {
  it('is chosen when the column is made, changed later, and shown in the schema and values', async () => {
    const slug = await sightings('birds', [2], 'count')
    const schema = await call('GET', `/tables/${slug}`)
    expect(schema.body.columns[1].link).toEqual({
      table: 'birds',
      on_delete: 'clear',
      many: false,
      display: 'count',
    })
    const rows = await call('GET', `/tables/${slug}/rows`)
    expect(rows.body.rows[0].values.bird).toMatchObject({ id: 2, display: '5' })
    const changed = await call('PATCH', `/tables/${slug}/columns/bird`, { link_display: 'bird' })
    expect(changed.status).toBe(200)
    expect(changed.body.columns[1].link.display).toBe('bird')
    const reset = await call('PATCH', `/tables/${slug}/columns/bird`, { link_display: null })
    expect(reset.body.columns[1].link.display).toBeNull()
    const again = await call('GET', `/tables/${slug}/rows`)
    expect(again.body.rows[0].values.bird).toMatchObject({ id: 2, display: 'Robin' })
  })

  it.each([
    ['an unknown column', { link_display: 'nope' }],
    ['a column of this table, not the linked one', { link_display: 'place' }],
    ['a slug with a NUL', { link_display: 'bi\u0000rd' }],
    ['a number', { link_display: 3 }],
    ['a long slug', { link_display: 'x'.repeat(300) }],
  ])('refuses %s with a 400 naming link_display', async (_, body) => {
    const slug = await sightings('birds')
    const res = await call('PATCH', `/tables/${slug}/columns/bird`, body)
    expect(res.status).toBe(400)
    expect(pointers(res.body)).toEqual(['#/link_display'])
  })

  it('refuses a display column for a column that is not a link, and an unknown one at creation', async () => {
    const slug = await sightings('birds')
    const res = await call('PATCH', `/tables/${slug}/columns/place`, { link_display: 'bird' })
    expect(res.status).toBe(400)
    expect(pointers(res.body)).toEqual(['#/link_display'])
    const made = await call('POST', `/tables/${slug}/columns`, {
      name: 'Other',
      type: 'link',
      link: { table: 'birds', on_delete: 'clear', display: 'place' },
    })
    expect(made.status).toBe(400)
    expect((await call('GET', `/tables/${slug}`)).body.columns).toHaveLength(2)
  })
})

describe('the column form', () => {
  it('offers the linked table’s columns on a link column’s edit form and saves the choice', async () => {
    const slug = await sightings('birds', [1])
    const form = (await ada.get(`/ada/tables/${slug}/columns/bird`)).html
    expect(form).toContain('<select class="select" id="link_display" name="link_display">')
    expect(form).toContain('<option value="count">Count</option>')
    const saved = await ada.post(`/ada/tables/${slug}/columns/bird`, {
      name: 'Bird',
      type: 'link',
      link_display: 'count',
    })
    expect(saved.status).toBe(303)
    expect((await call('GET', `/tables/${slug}`)).body.columns[1].link.display).toBe('count')
    const grid = (await ada.get(`/ada/tables/${slug}`)).html
    expect(tableCells(grid)[0]).toContain('3')
    const bad = await ada.post(`/ada/tables/${slug}/columns/bird`, {
      name: 'Bird',
      type: 'link',
      link_display: 'place',
    })
    expect(bad.status).toBe(400)
    expect(await bad.text()).toContain('The linked table has no column “place” to show')
    const text = (await ada.get(`/ada/tables/${slug}/columns/place`)).html
    expect(text).not.toContain('id="link_display"')
  })
})

describe('the row form’s picker', () => {
  it('is a select of a small target’s rows by display value', async () => {
    const slug = await sightings('birds', [2])
    const form = (await ada.get(`/ada/tables/${slug}/new`)).html
    expect(form).toContain('<select class="select" id="field-bird" name="bird"')
    expect(form).toContain('<option value="2">Robin</option>')
    expect(form).not.toContain('link-picker.js')
    const made = await ada.post(`/ada/tables/${slug}/new`, { place: 'Pond', bird: '1' })
    expect(made.status).toBe(303)
    const rows = await call('GET', `/tables/${slug}/rows`)
    expect(rows.body.rows[1].values.bird).toMatchObject({ id: 1, display: 'Wren' })
    const edit = (await ada.get(`/ada/tables/${slug}/${rows.body.rows[1].id}/edit`)).html
    expect(edit).toContain('<option value="1" selected>Wren</option>')
  })

  it('tells rows that share a display value apart by id', async () => {
    const made = await call('POST', '/tables', {
      name: 'Twins',
      columns: [{ name: 'Name', type: 'text' }],
    })
    for (const name of ['Same', 'Same', '<b>']) {
      await call('POST', `/tables/${made.body.slug}/rows`, { name })
    }
    await call('POST', `/tables/${made.body.slug}/rows`, {})
    const slug = await sightings(made.body.slug)
    const form = (await ada.get(`/ada/tables/${slug}/new`)).html
    expect(form).toContain('<option value="1">Same (#1)</option>')
    expect(form).toContain('<option value="2">Same (#2)</option>')
    expect(form).toContain('<option value="3">&lt;b&gt;</option>')
    expect(form).toContain('<option value="4">(#4)</option>')
  })

  it('is the id field with the current display value and search as you type for a big target', async () => {
    const slug = await sightings('many', [2])
    const rows = await call('GET', `/tables/${slug}/rows`)
    const edit = (await ada.get(`/ada/tables/${slug}/${rows.body.rows[0].id}/edit`)).html
    expect(edit).toContain(`data-link-search="/ada/tables/${slug}/links/bird"`)
    expect(edit).toContain('The id of the linked row, now “Robin”')
    expect(edit).toContain('<script src="/static/link-picker.js" defer></script>')
    const blank = (await ada.get(`/ada/tables/${slug}/new`)).html
    expect(blank).toContain('The id of the linked row</p>')
    const refused = await ada.post(`/ada/tables/${slug}/new`, { place: 'X', bird: '9999' })
    expect(refused.status).toBe(400)
    expect(await refused.text()).toContain('value="9999"')
    const script = await anonymousBrowser(t).request('/static/link-picker.js')
    expect(script.status).toBe(200)
  })

  it('answers search as you type with at most 20 rows, as JSON', async () => {
    const slug = await sightings('many')
    const search = async (q: string, who = ada, column = 'bird') => {
      const res = await who.request(
        `/ada/tables/${slug}/links/${column}?q=${encodeURIComponent(q)}`,
      )
      return { status: res.status, body: await res.json() }
    }
    expect((await search('rob')).body).toEqual({ rows: [{ id: 2, display: 'Robin' }] })
    const many = await search('bird 1')
    expect(many.body.rows).toHaveLength(20)
    expect(many.body.rows[0]).toEqual({ id: 4, display: 'Bird 1' })
    expect((await search('')).body.rows).toHaveLength(20)
    const bare = await ada.request(`/ada/tables/${slug}/links/bird`)
    expect((await bare.json()).rows).toHaveLength(20)
    expect((await search('x'.repeat(201))).status).toBe(400)
    expect((await search('rob', ada, 'place')).status).toBe(404)
    expect((await search('rob', ada, 'nope')).status).toBe(404)
    const other = await grace.request(`/ada/tables/${slug}/links/bird?q=rob`)
    expect([403, 404]).toContain(other.status)
    const anonymous = await anonymousBrowser(t).request(`/ada/tables/${slug}/links/bird?q=rob`)
    expect(anonymous.status).not.toBe(200)
  })

  it('is the plain id field when the linked table is gone from view', async () => {
    const slug = await sightings('birds', [1])
    await call('PATCH', '/tables/birds', { visibility: 'private' })
    try {
      const form = (await ada.get(`/ada/tables/${slug}/new`)).html
      expect(form).toContain('<option value="1">Wren</option>')
    } finally {
      await call('PATCH', '/tables/birds', { visibility: 'public' })
    }
  })
})

describe('search, filters and sort on the pages and the API', () => {
  it('finds, filters and orders rows by display value', async () => {
    const slug = await sightings('birds', [1, 2, 1])
    const { html } = await ada.get(`/ada/tables/${slug}?search=robin`)
    expect(tableCells(html).map((row) => row.includes('P1'))).toEqual([true])
    const filtered = await call('GET', `/tables/${slug}/rows?bird__display=Wren`)
    expect(filtered.body.rows.map((row: { id: number }) => row.id)).toEqual([1, 3])
    const contains = await call('GET', `/tables/${slug}/rows?bird__contains=OBI`)
    expect(contains.body.rows.map((row: { id: number }) => row.id)).toEqual([2])
    const sorted = await call('GET', `/tables/${slug}/rows?order=-bird&limit=2`)
    expect(sorted.body.rows.map((row: { id: number }) => row.id)).toEqual([3, 1])
    const next = await call('GET', sorted.body.next.replace('http://localhost/api/v1/ada', ''))
    expect(next.body.rows.map((row: { id: number }) => row.id)).toEqual([2])
    const bad = await call('GET', `/tables/${slug}/rows?bird__display=`)
    expect(bad.status).toBe(400)
    const csv = await ada.request(`/ada/tables/${slug}/export.csv?order=bird`)
    expect((await csv.text()).trim().split('\n').slice(1)).toEqual(['P1,2', 'P0,1', 'P2,1'])
  })

  it('lets another reader search and sort only by ids when the linked table is private', async () => {
    const slug = await sightings('birds', [1, 2])
    await call('PATCH', '/tables/birds', { visibility: 'private' })
    try {
      const stranger = anonymousBrowser(t)
      expect(tableCells((await stranger.get(`/ada/tables/${slug}?search=robin`)).html)).toEqual([])
      const mine = tableCells((await ada.get(`/ada/tables/${slug}?search=robin`)).html)
      expect(mine.map((row) => row.includes('P1'))).toEqual([true])
      const theirs = await apiRequest(t, 'GET', `/ada/tables/${slug}/rows?bird__contains=rob`)
      expect((await theirs.json()).rows).toEqual([])
      const sorted = await apiRequest(t, 'GET', `/ada/tables/${slug}/rows?order=-bird`)
      expect((await sorted.json()).rows.map((row: { id: number }) => row.id)).toEqual([2, 1])
      const exported = await stranger.request(`/ada/tables/${slug}/export.csv?search=robin`)
      expect((await exported.text()).trim().split('\n')).toHaveLength(1)
      const facets = await apiRequest(
        t,
        'GET',
        `/ada/tables/${slug}/rows?search=robin&_facet=place`,
      )
      expect((await facets.json()).facets[0].values).toEqual([])
    } finally {
      await call('PATCH', '/tables/birds', { visibility: 'public' })
    }
  })
})

describe('CSV imports by id or display value', () => {
  const csv = (slug: string, text: string) =>
    apiRequest(t, 'POST', `/ada/tables/${slug}/rows`, {
      token,
      body: text,
      headers: { 'content-type': 'text/csv' },
    })

  it('takes ids and display values, all or nothing', async () => {
    const slug = await sightings('birds')
    const res = await csv(slug, 'place,bird\nPark,Robin\nPond,1\nLake, Wren \nHill,\n')
    expect(res.status).toBe(201)
    const rows = await call('GET', `/tables/${slug}/rows`)
    expect(
      rows.body.rows.map(
        (row: { values: { bird: { id: number } | null } }) => row.values.bird?.id ?? null,
      ),
    ).toEqual([2, 1, 1, null])
  })

  it.each([
    [
      'an unknown value',
      'place,bird\nPark,Robin\nPond,Eagle\n',
      3,
      'no row of the linked table has the id or value “Eagle”',
    ],
    ['a value of another case', 'place,bird\nPark,robin\n', 2, '“robin”'],
    ['an unknown id', 'place,bird\nPark,1\nPond,77\n', 3, 'no row of the linked table has id 77'],
  ])('refuses %s with its line and column, and adds nothing', async (_, text, line, detail) => {
    const slug = await sightings('birds')
    const res = await csv(slug, text)
    expect(res.status).toBe(400)
    const problem = await res.json()
    expect([problem.line, problem.column]).toEqual([line, 'Bird'])
    expect(problem.detail).toContain(detail)
    expect((await call('GET', `/tables/${slug}/rows`)).body.rows).toHaveLength(0)
  })

  it('refuses a value two rows show, and reads a number as an id first', async () => {
    const made = await call('POST', '/tables', {
      name: 'Codes',
      columns: [{ name: 'Code', type: 'text' }],
    })
    // Row 1 shows “2”, rows 2 and 3 show “Twin”, row 4 shows “9”.
    for (const code of ['2', 'Twin', 'Twin', '9']) {
      await call('POST', `/tables/${made.body.slug}/rows`, { code })
    }
    const slug = await sightings(made.body.slug)
    const twins = await csv(slug, 'place,bird\nA,1\nB,Twin\n')
    expect(twins.status).toBe(400)
    const problem = await twins.json()
    expect([problem.line, problem.column]).toEqual([3, 'Bird'])
    expect(problem.detail).toContain('“Twin” is shown by two or more rows of the linked table')
    expect((await csv(slug, 'place,bird\nA,2\nB,9\n')).status).toBe(201)
    const rows = await call('GET', `/tables/${slug}/rows`)
    // 2 is row 2's id (not row 1's value); 9 is no row's id but row 4's value.
    expect(
      rows.body.rows.map((row: { values: { bird: { id: number } } }) => row.values.bird.id),
    ).toEqual([2, 4])
  })
})

describe('an actor who may write the table but not see the linked one', () => {
  it('gets the plain id field and no search, and searches the table by ids only', async () => {
    const slug = await sightings('birds', [2])
    const found = await findTable(t.database.db, 'ada', slug)
    if (found.found !== 'table') throw new Error('no table')
    await call('PATCH', '/tables/birds', { visibility: 'private' })
    try {
      const owner = found.table.owner
      const actor = tokenActor(
        { id: owner.id, username: owner.username, name: null, avatarUrl: null },
        { id: 1, scopes: ['read', 'write'], tableIds: [found.table.id] },
      )
      expect(await linkPickers(t.database.db, actor, found.table, {})).toEqual(new Map())
      await expect(
        findLinkChoices(t.database.db, actor, found.table, 'bird', 'rob'),
      ).rejects.toBeInstanceOf(NotFoundError)
      const seen = await linksSeenBy(t.database.db, actor, found.table)
      expect(seen.columns[1]?.link?.display).toBeNull()
    } finally {
      await call('PATCH', '/tables/birds', { visibility: 'public' })
    }
  })
})
