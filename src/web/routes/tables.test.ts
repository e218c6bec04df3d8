import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createTestApp, tableCells } from '../../test/app.js'

let t: Awaited<ReturnType<typeof createTestApp>>
beforeAll(async () => {
  t = await createTestApp({ demo: true })
})
afterAll(() => t.database.close())

const TABLE = '/demo/tables/uk-general-election-2017'
const get = (path: string, headers: Record<string, string> = {}) =>
  t.app.request(`http://localhost${path}`, { headers })
const page = async (path: string) => {
  const res = await get(path)
  return { status: res.status, html: await res.text() }
}
const json = async (path: string) => (await get(path)).json()

describe('the table page', () => {
  it('shows the first 25 of 3,304 rows with a count and sortable headers', async () => {
    const { status, html } = await page(TABLE)
    expect(status).toBe(200)
    expect(html).toContain('<h1>UK General Election 2017')
    expect(html).toMatch(/<strong>1–25<\/strong> of <strong>3,304<\/strong> rows/)
    const rows = tableCells(html)
    expect(rows).toHaveLength(25)
    expect(rows[0]).toEqual(['1', 'Aldershot', 'WALLACE', 'Donna Maria', 'Green Party', '1090'])
    expect(html).toContain(`href="${TABLE}?order=votes"`)
  })

  it('paginates GitHub-style with previous, window, last pages and next', async () => {
    const { html } = await page(`${TABLE}?page=50`)
    expect(tableCells(html)[0]?.[0]).toBe('1226')
    expect(html).toContain(`href="${TABLE}">1</a>`)
    for (const n of [2, 48, 52, 132]) expect(html).toContain(`href="${TABLE}?page=${n}"`)
    expect(html).toContain('<em class="pagination__page is-current" aria-current="page">50</em>')
    expect(html).not.toContain(`?page=47"`)
    const link = (rel: string) =>
      (new RegExp(`href="([^"]+)" rel="${rel}"`).exec(html)?.[1] ?? '').replaceAll('&amp;', '&')
    // Next and Previous carry cursors; they land on the neighbouring pages.
    expect(link('next')).toMatch(/page=51&after=/)
    const next = await page(link('next'))
    expect(tableCells(next.html)[0]?.[0]).toBe('1251')
    expect(next.html).toContain('aria-current="page">51</em>')
    expect(link('prev')).toMatch(/page=49&before=/)
    expect(tableCells((await page(link('prev'))).html)[0]?.[0]).toBe('1201')
    // The last page reads backwards and holds the remainder.
    const last = await page(`${TABLE}?page=133&at=end`)
    expect(tableCells(last.html).map((row) => row[0])).toEqual(['3301', '3302', '3303', '3304'])
    expect(last.html).toContain('aria-current="page">133</em>')
    expect(html).toContain(`href="${TABLE}?page=133&amp;at=end"`)
  })

  it('searches text columns case-insensitively, and the count and pages follow', async () => {
    const { html } = await page(`${TABLE}?search=plaid`)
    expect(html).toMatch(/of <strong>40<\/strong> rows matching “plaid”/)
    expect(tableCells(html).every((row) => row[4] === 'Plaid Cymru')).toBe(true)
    expect(html).toMatch(/href="[^"]*search=plaid&amp;page=2&amp;after=[^"]*" rel="next"/)
  })

  it.each(['%', '_', '\\'])('matches %j literally', async (term) => {
    const { html } = await page(`${TABLE}?search=${encodeURIComponent(term)}`)
    expect(html).toContain('No rows match')
  })

  it('sorts ascending and descending, breaking ties by row id', async () => {
    const descending = tableCells((await page(`${TABLE}?order=-votes`)).html)
    expect(descending[0]).toEqual([
      '1279',
      'Knowsley',
      'HOWARTH',
      'George Edward',
      'Labour',
      '47351',
    ])
    const ascending = tableCells((await page(`${TABLE}?order=votes`)).html)
    const votes = ascending.map((row) => Number(row[5]))
    expect(votes).toEqual([...votes].sort((a, b) => a - b))
    // Many candidates share a party: pages must neither overlap nor skip rows.
    const ids = new Set<string>()
    for (let n = 1; n <= 4; n++) {
      for (const row of tableCells((await page(`${TABLE}?order=party&page=${n}`)).html))
        ids.add(row[0] ?? '')
    }
    expect(ids.size).toBe(100)
  })

  it('cycles header links ascending → descending → none, keeping the search and resetting the page', async () => {
    const ascending = (await page(`${TABLE}?search=green&order=votes&page=2`)).html
    expect(ascending).toContain(`href="${TABLE}?search=green&amp;order=-votes"`)
    expect(ascending).toContain('aria-sort="ascending"')
    const descending = (await page(`${TABLE}?search=green&order=-votes`)).html
    expect(descending).toContain(`href="${TABLE}?search=green">Votes`)
    expect(descending).toContain('aria-sort="descending"')
  })

  it.each([
    ['page=-3', '1'],
    ['page=abc', '1'],
    ['page=999999', '3301'],
    ['order=nosuchcolumn', '1'],
    ['search=(10 kB)', null],
  ])('answers bad query %s without an error', async (query, firstId) => {
    const bounded = query.replace('(10 kB)', 'x'.repeat(10_000))
    const { status, html } = await page(`${TABLE}?${bounded}`)
    expect(status).toBe(200)
    expect(tableCells(html)[0]?.[0] ?? null).toBe(firstId)
  })
})

describe('the JSON form', () => {
  it('has the rows, the total and links to other pages', async () => {
    const body = await json(`${TABLE}?format=json&order=-votes&page=2`)
    expect(body).toMatchObject({
      total: 3304,
      page: 2,
      page_count: 133,
      per_page: 25,
      order: '-votes',
    })
    expect(body.columns[4]).toMatchObject({ name: 'Votes', slug: 'votes', type: 'integer' })
    expect(body.rows).toHaveLength(25)
    expect(typeof body.rows[0].values.votes).toBe('number')
    expect(body.links).toMatchObject({
      previous: `http://localhost${TABLE}?order=-votes&format=json`,
      last: `http://localhost${TABLE}?order=-votes&page=133&at=end&format=json`,
    })
    const next = await json(body.links.next.replace('http://localhost', ''))
    expect(next.page).toBe(3)
    expect(next.rows[0].values.votes).toBeLessThanOrEqual(body.rows[24].values.votes)
  })

  it('is chosen by the Accept header too', async () => {
    const res = await get(TABLE, { accept: 'application/json' })
    expect(res.headers.get('content-type')).toContain('application/json')
    expect((await res.json()).links.previous).toBeNull()
  })
})

describe('the row page', () => {
  it('lists each column title and value, with breadcrumbs back', async () => {
    const { html } = await page(`${TABLE}/1279`)
    expect(html).toMatch(/<dt>Constituency<\/dt>\s*<dd class="">Knowsley<\/dd>/)
    expect(html).toMatch(/<dt>Votes<\/dt>\s*<dd class="">47351<\/dd>/)
    expect(html).toContain('<a href="/demo">demo</a>')
    expect(html).toContain(`<a href="${TABLE}">UK General Election 2017</a>`)
  })

  it('answers JSON', async () => {
    const body = await json(`${TABLE}/1279?format=json`)
    expect(body.values).toEqual({
      constituency: 'Knowsley',
      surname: 'HOWARTH',
      first_name: 'George Edward',
      party: 'Labour',
      votes: 47351,
    })
  })
})

describe('missing things', () => {
  it.each([
    '/nobody',
    '/demo/tables/no-such-table',
    `${TABLE}/999999`,
    `${TABLE}/abc`,
    '/no/such/page/at/all',
  ])('%s is a 404 page', async (path) => {
    const { status, html } = await page(path)
    expect(status).toBe(404)
    expect(html).toContain('Page not found')
  })

  it('answers 404 as JSON when JSON was asked for', async () => {
    const res = await get('/demo/tables/no-such-table?format=json')
    expect(res.status).toBe(404)
    expect(await res.json()).toMatchObject({ status: 404, title: 'Not Found' })
  })

  it('redirects the old slug of a renamed table, keeping the rest of the address', async () => {
    const { db } = t.database
    const table = await db
      .selectFrom('tables')
      .select(['id', 'owner_id'])
      .where('slug', '=', 'uk-general-election-2017')
      .executeTakeFirstOrThrow()
    await db
      .insertInto('table_redirects')
      .values({ owner_id: table.owner_id, slug: 'ge2017', table_id: table.id })
      .execute()
    const res = await get('/demo/tables/ge2017/5?format=json')
    expect(res.status).toBe(301)
    expect(res.headers.get('location')).toBe(`${TABLE}/5?format=json`)
  })
})
