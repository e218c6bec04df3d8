import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { getTableById } from '../../datasource/catalog.js'
import { deleteColumn } from '../../datasource/columns.js'
import { importNewTable } from '../../datasource/import.js'
import { updateTable } from '../../datasource/table-settings.js'
import type { TableInfo } from '../../datasource/types.js'
import {
  anonymousBrowser,
  createTestApp,
  signedInBrowser,
  type TestApp,
  tableCells,
} from '../../test/app.js'
import { Browser } from '../../test/browser.js'
import { createApp } from '../app.js'

let t: TestApp
let owner: Browser
let other: Browser
let ownerId: number
let made = 0

beforeAll(async () => {
  t = await createTestApp()
  const signedIn = await signedInBrowser(t, 'vera')
  owner = signedIn.browser
  ownerId = signedIn.user.id
  other = (await signedInBrowser(t, 'otto')).browser
})
afterAll(() => t.database.close())

async function results(isPublic = true): Promise<TableInfo> {
  async function* records() {
    const rows = [
      ['Ada', 'Labour', '31000', 'yes'],
      ['Bob', 'Green', '1200', 'no'],
      ['Cy', 'Labour', '29000', 'no'],
    ]
    for (const [index, fields] of rows.entries()) yield { line: index + 2, fields }
  }
  const columns = [
    { name: 'Candidate', type: 'text' as const },
    { name: 'Party', type: 'choice' as const, choices: ['Labour', 'Green'] },
    { name: 'Votes', type: 'integer' as const },
    { name: 'Elected', type: 'boolean' as const },
  ]
  const name = `Results ${++made}`
  return (await importNewTable(t.database, { ownerId, name, isPublic, columns }, records())).table
}

const at = (table: TableInfo) => `/vera/tables/${table.slug}`
const headers = (html: string) =>
  [...html.matchAll(/<a class="sort[^"]*" href="[^"]*">([^<]*)<\/a>/g)].map((m) => m[1])
const names = (html: string) => tableCells(html).map((cells) => cells.find((c) => /^[A-Z]/.test(c)))

async function saveView(browser: Browser, table: TableInfo, name: string, query: string) {
  await browser.get(`${at(table)}?${query}`)
  return browser.post(`${at(table)}/views`, { name, query })
}

describe('two workers', () => {
  it('see each other’s changes at their next request: nothing about a table is kept between them', async () => {
    // A second app on the same database, as a second worker process would be.
    const second = createApp({ config: t.config, database: t.database, storage: t.storage })
    const visitor = new Browser('http://localhost', (request) => second.request(request))
    const table = await results()
    expect(headers((await visitor.get(at(table))).html)).toEqual([
      'Candidate',
      'Party',
      'Votes',
      'Elected',
    ])
    await owner.get(at(table))
    await owner.post(`${at(table)}/shown-columns`, { columns: 'candidate,votes' })
    expect(headers((await visitor.get(at(table))).html)).toEqual(['Candidate', 'Votes'])
    await saveView(owner, table, 'Winners', 'votes__gt=30000')
    expect((await visitor.get(at(table))).html).toContain('Winners')
    const current = await getTableById(t.database.db, table.id)
    const votes = current?.columns.find((column) => column.slug === 'votes')
    if (!current || !votes) throw new Error('no table')
    await deleteColumn(t.database.db, current, votes.id)
    expect(headers((await visitor.get(at(table))).html)).toEqual(['Candidate'])
    const renamed = await updateTable(t.database.db, current, { name: `Moved ${made}` })
    const moved = await visitor.request(at(table))
    expect(moved.status).toBe(301)
    expect(moved.headers.get('location')).toBe(`/vera/tables/${renamed.slug}`)
  })
})

describe('choosing columns', () => {
  it('shows only ?_col columns, hides ?_nocol ones, and keeps the choice in links', async () => {
    const table = await results()
    const { html } = await owner.get(`${at(table)}?_col=votes&_col=candidate&order=votes`)
    expect(headers(html)).toEqual(['Candidate', 'Votes'])
    expect(tableCells(html)[0]?.slice(-2)).toEqual(['Bob', '1200'])
    expect(html).toContain(`href="${at(table)}?_col=candidate%2Cvotes&amp;order=-votes"`)
    const { html: hidden } = await owner.get(`${at(table)}?_nocol=party,elected`)
    expect(headers(hidden)).toEqual(['Candidate', 'Votes'])
    expect(hidden).toContain(`href="${at(table)}?_nocol=party%2Celected%2Ccandidate"`)
    const { html: none } = await owner.get(`${at(table)}?_nocol=candidate,party,votes,elected`)
    expect(headers(none)).toEqual(['Candidate', 'Party', 'Votes', 'Elected'])
  })

  it('lets the owner save the default set, which everyone then sees', async () => {
    const table = await results()
    await owner.get(at(table))
    const res = await owner.post(`${at(table)}/shown-columns`, { columns: 'candidate,party,nope' })
    expect(res.status).toBe(303)
    expect(res.headers.get('location')).toBe(`${at(table)}?saved=columns`)
    const { html: saved } = await owner.get(`${at(table)}?saved=columns`)
    expect(saved).toContain('Saved the default columns.')
    const { html } = await anonymousBrowser(t).get(at(table))
    expect(headers(html)).toEqual(['Candidate', 'Party'])
    const body = (await (await anonymousBrowser(t).request(`${at(table)}?format=json`)).json()) as {
      shown_columns: string[]
    }
    expect(body.shown_columns).toEqual(['candidate', 'party'])
    const { html: more } = await owner.get(`${at(table)}?_col=votes`)
    expect(headers(more)).toEqual(['Votes']) // The exports follow the default set too, unless the address chooses.
    const exported = (file: string) => anonymousBrowser(t).request(`${at(table)}/${file}`)
    expect(await (await exported('export.csv')).text()).toBe(
      'Candidate,Party\nAda,Labour\nBob,Green\nCy,Labour\n',
    )
    expect(await (await exported('export.json?votes__gt=30000')).json()).toEqual([
      { id: 1, candidate: 'Ada', party: 'Labour' },
    ])
    expect((await (await exported('export.csv?_col=votes')).text()).split('\n')[0]).toBe('Votes')
  })

  it.each([
    ['signed out', () => anonymousBrowser(t), 303],
    ['another user', () => other, 403],
  ] as const)('refuses saving the default columns %s', async (_who, browser, status) => {
    const table = await results()
    const b = browser()
    await b.get(at(table))
    const res = await b.post(`${at(table)}/shown-columns`, { columns: 'candidate' })
    expect(res.status).toBe(status)
    expect((await getTableById(t.database.db, table.id))?.id).toBe(table.id)
    const { html } = await owner.get(at(table))
    expect(headers(html)).toHaveLength(4)
  })
})

describe('saved views', () => {
  it('saves the filters, search, sort, facets and columns, and opens them at their own address', async () => {
    const table = await results()
    const query = 'party__exact=Labour&order=-votes&_facet=elected&_col=candidate,votes'
    const res = await saveView(owner, table, 'Labour by votes', query)
    expect(res.status).toBe(303)
    expect(res.headers.get('location')).toBe(`${at(table)}/views/labour-by-votes?saved=view`)
    const { html: saved } = await owner.get(`${at(table)}/views/labour-by-votes?saved=view`)
    expect(saved).toContain('Saved the view.')
    const { html } = await anonymousBrowser(t).get(`${at(table)}/views/labour-by-votes`)
    expect(headers(html)).toEqual(['Candidate', 'Votes'])
    expect(names(html)).toEqual(['Ada', 'Cy'])
    expect(html).toContain('<h2 class="facet__title">Elected')
    expect(html).toContain(
      `<a href="${at(table)}/views/labour-by-votes" aria-current="page">Labour by votes</a>`,
    )
    // The table's own page lists it as a tab; the same state marks it.
    const { html: plain } = await anonymousBrowser(t).get(at(table))
    expect(plain).toContain(`<a href="${at(table)}" aria-current="page">All rows</a>`)
    const json = (await (
      await anonymousBrowser(t).request(`${at(table)}/views/labour-by-votes?format=json`)
    ).json()) as { view: { name: string; dropped: string[] }; total: number; filters: unknown[] }
    expect(json.view).toMatchObject({ name: 'Labour by votes', dropped: [] })
    expect(json.total).toBe(2)
    expect(json.filters).toEqual([{ column: 'party', operator: 'exact', value: 'Labour' }])
    // The exports carry the view's state.
    expect(html).toContain(`${at(table)}/export.csv?party__exact=Labour&amp;_facet=elected`)
    // … and the view's columns, in both formats.
    const link = /href="([^"]*\/export\.csv\?[^"]*)"/.exec(html)?.[1]?.replaceAll('&amp;', '&')
    const csv = await (await anonymousBrowser(t).request(String(link))).text()
    expect(csv).toBe('Candidate,Votes\nAda,31000\nCy,29000\n')
    const exported = await (
      await anonymousBrowser(t).request(String(link).replace('export.csv', 'export.json'))
    ).json()
    expect(exported).toEqual([
      { id: 1, candidate: 'Ada', votes: 31000 },
      { id: 3, candidate: 'Cy', votes: 29000 },
    ])
  })

  it('saving the same name again replaces that view', async () => {
    const table = await results()
    await saveView(owner, table, 'Mine', 'votes__gt=2000')
    await saveView(owner, table, 'Mine', 'votes__lt=2000')
    const { html } = await owner.get(`${at(table)}/views/mine`)
    expect(names(html)).toEqual(['Bob'])
    const views = await t.database.db
      .selectFrom('table_views')
      .where('table_id', '=', table.id)
      .selectAll()
      .execute()
    expect(views).toHaveLength(1)
  })

  it('survives renaming the table and its columns', async () => {
    const table = await results()
    await saveView(owner, table, 'Big', 'votes__gte=29000&order=candidate')
    const renamed = await updateTable(t.database.db, table, { name: `Renamed ${made}` })
    const { html } = await owner.get(`/vera/tables/${renamed.slug}/views/big`)
    expect(names(html)).toEqual(['Ada', 'Cy'])
  })

  it('drops the part of a view whose column was deleted, and says so', async () => {
    const table = await results()
    await saveView(owner, table, 'By party', 'party__exact=Green&order=party&_facet=party')
    const party = table.columns.find((column) => column.slug === 'party')
    await deleteColumn(t.database.db, table, party?.id ?? 0)
    const { res, html } = await owner.get(`${at(table)}/views/by-party`)
    expect(res.status).toBe(200)
    expect(names(html)).toEqual(['Ada', 'Bob', 'Cy'])
    expect(html).toContain('no longer has its sort, a filter (exact Green), a facet')
  })

  it('is deleted by its owner', async () => {
    const table = await results()
    await saveView(owner, table, 'Gone soon', 'votes__gt=1')
    await owner.get(`${at(table)}/views/gone-soon`)
    const res = await owner.post(`${at(table)}/views/gone-soon/delete`)
    expect(res.status).toBe(303)
    expect((await owner.request(`${at(table)}/views/gone-soon`)).status).toBe(404)
  })

  it.each([
    ['', 'Give the view a name'],
    ['x'.repeat(101), 'At most 100 characters'],
  ])('refuses the name %j with a message', async (name, message) => {
    const table = await results()
    const res = await saveView(owner, table, name, 'votes__gt=1')
    expect(res.status).toBe(400)
    expect(await res.text()).toContain(message)
  })

  it('answers 404 for a view that is not there, and for any view of a private table to others', async () => {
    const table = await results(false)
    await saveView(owner, table, 'Secret', 'votes__gt=1')
    expect((await owner.request(`${at(table)}/views/nope`)).status).toBe(404)
    expect((await owner.request(`${at(table)}/views/${'x'.repeat(201)}`)).status).toBe(404)
    expect((await owner.request(`${at(table)}/views/secret`)).status).toBe(200)
    expect((await other.request(`${at(table)}/views/secret`)).status).toBe(404)
    expect((await anonymousBrowser(t).request(`${at(table)}/views/secret`)).status).toBe(404)
  })

  describe('only the owner saves and deletes views', () => {
    it.each([
      ['signed out', () => anonymousBrowser(t), 303],
      ['another user', () => other, 403],
    ] as const)('%s is refused', async (_who, browser, status) => {
      const table = await results()
      await saveView(owner, table, 'Kept', 'votes__gt=1')
      const b = browser()
      const saved = await saveView(b, table, 'Planted', 'votes__gt=1')
      expect(saved.status).toBe(status)
      await b.get(`${at(table)}/views/kept`)
      const deleted = await b.post(`${at(table)}/views/kept/delete`)
      expect(deleted.status).toBe(status)
      const views = await t.database.db
        .selectFrom('table_views')
        .where('table_id', '=', table.id)
        .select('name')
        .execute()
      expect(views.map((view) => view.name)).toEqual(['Kept'])
    })

    it('refuses a save without the CSRF token', async () => {
      const table = await results()
      await owner.get(at(table))
      const res = await owner.request(`${at(table)}/views`, {
        method: 'POST',
        body: new URLSearchParams({ name: 'No token', query: '' }),
        headers: {
          'content-type': 'application/x-www-form-urlencoded',
          origin: 'http://localhost',
        },
      })
      expect(res.status).toBe(403)
      const views = await t.database.db
        .selectFrom('table_views')
        .where('table_id', '=', table.id)
        .selectAll()
        .execute()
      expect(views).toEqual([])
    })
  })
})
