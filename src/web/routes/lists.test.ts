import { readdir } from 'node:fs/promises'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { countTables } from '../../application/table-quota.js'
import { createTable } from '../../datasource/tables.js'
import {
  anonymousBrowser,
  createTestApp,
  signedInBrowser,
  type TestApp,
  tableCells,
} from '../../test/app.js'
import type { Browser } from '../../test/browser.js'
import { birdTable } from '../../test/tables.js'
import { DASHBOARD_OWN_TABLES, TABLES_PER_PAGE } from './home.js'

let t: TestApp
let many: Browser
let manyId: number
beforeAll(async () => {
  t = await createTestApp({ env: { MAX_TABLES_PER_USER: '40' } })
  ;({
    browser: many,
    user: { id: manyId },
  } = await signedInBrowser(t, 'many'))
  // 35 tables: 32 public, and 3 private ones that only their owner sees listed.
  for (let n = 1; n <= 35; n++) {
    await createTable(t.database.db, {
      ownerId: manyId,
      name: `Table ${String(n).padStart(2, '0')}`,
      isPublic: n > 3,
      columns: [],
    })
  }
})
afterAll(() => t.database.close())

const cardTitles = (html: string) =>
  [...html.matchAll(/<a class="card__title" href="[^"]*">([^<]*)<\/a>/g)].map((m) => m[1])

describe('a profile', () => {
  it('lists the newest tables a page at a time, with pages to follow', async () => {
    const first = await anonymousBrowser(t).get('/many')
    const titles = cardTitles(first.html)
    expect(titles).toHaveLength(TABLES_PER_PAGE)
    expect(titles[0]).toBe('Table 35')
    expect(first.html).toContain('href="/many?page=2" rel="next"')
    const second = await anonymousBrowser(t).get('/many?page=2')
    expect(cardTitles(second.html)).toEqual(['Table 05', 'Table 04'])
    expect(second.html).toContain('href="/many" rel="prev"')
  })

  it('lists private tables only to their owner, and counts them only then', async () => {
    const mine = await many.get('/many?page=2')
    expect(cardTitles(mine.html)).toEqual([
      'Table 05',
      'Table 04',
      'Table 03',
      'Table 02',
      'Table 01',
    ])
    const json = await (await anonymousBrowser(t).request('/many?format=json')).json()
    expect(json.total).toBe(32)
  })

  it.each(['1000000000000', '99999999999999999999999', '3'])(
    'shows the last page for page=%s',
    async (page) => {
      const { res, html } = await anonymousBrowser(t).get(`/many?page=${page}`)
      expect(res.status).toBe(200)
      expect(cardTitles(html)).toEqual(['Table 05', 'Table 04'])
    },
  )

  it('pages its JSON too, with links', async () => {
    const json = await (await anonymousBrowser(t).request('/many?format=json&page=2')).json()
    expect(json).toMatchObject({
      username: 'many',
      total: 32,
      page: 2,
      page_count: 2,
      per_page: TABLES_PER_PAGE,
      links: {
        self: 'http://localhost/many?page=2&format=json',
        first: 'http://localhost/many?format=json',
        last: 'http://localhost/many?page=2&format=json',
        previous: 'http://localhost/many?format=json',
        next: null,
      },
    })
    expect(json.tables.map((table: { slug: string }) => table.slug)).toEqual([
      'table-05',
      'table-04',
    ])
    const first = await (await anonymousBrowser(t).request('/many?format=json')).json()
    expect(first.links.previous).toBeNull()
    expect(first.links.next).toBe('http://localhost/many?page=2&format=json')
  })

  it('has no pagination when one page holds everything', async () => {
    const { html } = await signedInBrowser(t, 'few').then(({ browser }) => browser.get('/few'))
    expect(html).not.toContain('class="pagination"')
  })
})

describe('the dashboard', () => {
  it('shows a few of your own tables, and links to the rest on your profile', async () => {
    const { html } = await many.get('/')
    const [, mine = '', others = ''] = html.split(
      /<h2>(?:Your tables|Public tables by others)<\/h2>/,
    )
    expect(cardTitles(mine)).toHaveLength(DASHBOARD_OWN_TABLES)
    expect(mine).toContain('<a href="/many">All 35 of your tables →</a>')
    expect(cardTitles(others)).toEqual([])
  })

  it('pages the public tables by others', async () => {
    const visitor = anonymousBrowser(t)
    const first = await visitor.get('/')
    expect(cardTitles(first.html)).toHaveLength(TABLES_PER_PAGE)
    expect(first.html).toContain('href="/?page=2" rel="next"')
    const last = await visitor.get('/?page=1000000000000')
    expect(cardTitles(last.html)).toEqual(['Table 05', 'Table 04'])
    expect(last.html).not.toContain('Table 03')
  })
})

describe('the table quota', () => {
  it('is said on the new-table form, and a table past it is refused with nothing made', async () => {
    const { browser, user } = await signedInBrowser(t, 'full')
    for (let n = 0; n < 40; n++)
      await createTable(t.database.db, { ownerId: user.id, name: `Full ${n}`, columns: [] })
    const { html } = await browser.get('/full/tables/new')
    expect(html).toContain('You have 40 tables, the most one account may have.')
    const res = await browser.post('/full/tables/new', { name: 'One too many' })
    expect(res.status).toBe(403)
    expect(await res.text()).toContain('Delete a table you no longer need to make room.')
    expect(await countTables(t.database.db, user.id)).toBe(40)
  })

  it('stops a CSV import as a new table before the file is uploaded, and at the review', async () => {
    const { browser, user } = await signedInBrowser(t, 'importer')
    await browser.get('/importer/tables/import')
    const form = new FormData()
    form.append('file', new Blob(['bird\nWren\n']), 'birds.csv')
    const uploaded = await browser.request(`/importer/tables/import?_csrf=${browser.csrfToken}`, {
      method: 'POST',
      body: form,
      headers: { origin: 'http://localhost' },
    })
    expect(uploaded.status).toBe(303)
    const review = uploaded.headers.get('location') ?? ''
    for (let n = 0; n < 40; n++)
      await createTable(t.database.db, { ownerId: user.id, name: `Filler ${n}`, columns: [] })
    const page = await browser.get('/importer/tables/import')
    expect(page.html).toContain('You have 40 tables')
    const again = new FormData()
    again.append('file', new Blob(['bird\nWren\n']), 'birds.csv')
    const refused = await browser.request(`/importer/tables/import?_csrf=${browser.csrfToken}`, {
      method: 'POST',
      body: again,
      headers: { origin: 'http://localhost' },
    })
    expect(refused.status).toBe(403)
    expect((await readdir(t.config.uploadDir)).filter((f) => f.endsWith('.csv'))).toHaveLength(1)
    await browser.get(review)
    const imported = await browser.post(review, { name: 'Birds', name0: 'Bird', type0: 'text' })
    expect(imported.status).toBe(403)
    expect(await imported.text()).toContain('You have 40 tables')
    expect(await countTables(t.database.db, user.id)).toBe(40)
  })
})

describe('a table page far past the end', () => {
  it('shows the last page, in HTML and in JSON', async () => {
    const table = await birdTable(t, manyId, 'Long Birds', { extra: 58 })
    const { res, html } = await many.get(`/many/tables/${table.slug}?page=1000000000000`)
    expect(res.status).toBe(200)
    expect(tableCells(html).map((row) => row[1])).toEqual(
      Array.from({ length: 10 }, (_, n) => String(51 + n)),
    )
    const json = await (
      await many.request(`/many/tables/${table.slug}?page=1000000000000&format=json`)
    ).json()
    expect([json.page, json.page_count, json.rows.length]).toEqual([3, 3, 10])
  })
})
