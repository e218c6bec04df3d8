import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { encodeCursor } from '../datasource/keyset.js'
import { insertRows } from '../datasource/row-writes.js'
import { createTable } from '../datasource/tables.js'
import type { TableInfo } from '../datasource/types.js'
import { apiRequest, tokenFor } from '../test/api.js'
import { anonymousBrowser, createTestApp, signedInBrowser, type TestApp } from '../test/app.js'

// The API's answers to bad queries and missing rows, the API tab and the interactive reference.
let t: TestApp
let token: string
let table: TableInfo
beforeAll(async () => {
  t = await createTestApp()
  const { user } = await signedInBrowser(t, 'uma')
  token = await tokenFor(t, user.id, ['read', 'write'])
  table = await createTable(t.database.db, {
    ownerId: user.id,
    name: 'Owls',
    isPublic: true,
    columns: [
      { name: 'Name', type: 'text' },
      { name: 'Wingspan', type: 'integer' },
    ],
  })
  await insertRows(t.database.db, table, [{ name: "Barn's", wingspan: '90' }])
  await createTable(t.database.db, { ownerId: user.id, name: 'Empty', columns: [] })
  await createTable(t.database.db, {
    ownerId: user.id,
    name: 'Sightings',
    isPublic: true,
    columns: [{ name: 'Kind', type: 'choice', choices: ['owl', 'hawk'] }],
  })
})
afterAll(() => t.database.close())

const ROWS = '/uma/tables/owls/rows'
const problem = async (res: Response) => ({
  status: res.status,
  detail: String(((await res.json()) as { title?: string; detail?: string }).detail ?? ''),
})

describe('GET rows with a query it cannot follow', () => {
  it.each([
    ['an order by no column', '?order=colour', 'Cannot order by “colour”'],
    ['a cursor it never gave', '?after=not-a-cursor', 'not one this API gave'],
    [
      'a cursor made for another order',
      `?order=wingspan&after=${encodeCursor({ key: 'ninety', id: 1 })}`,
      'does not fit this order',
    ],
  ])('answers 400 for %s', async (_name, query, detail) => {
    const answer = await problem(await apiRequest(t, 'GET', `${ROWS}${query}`, { token }))
    expect(answer.status).toBe(400)
    expect(answer.detail).toContain(detail)
  })
})

describe('conditional requests and other bodies', () => {
  it('answers 304 to a GET whose If-None-Match is the row’s ETag', async () => {
    const first = await apiRequest(t, 'GET', `${ROWS}/1`, { token })
    const tag = first.headers.get('etag') ?? ''
    const again = await apiRequest(t, 'GET', `${ROWS}/1`, {
      token,
      headers: { 'if-none-match': `"0", ${tag}` },
    })
    expect(again.status).toBe(304)
  })

  it.each([
    ['an If-Match that is not an ETag', 'PATCH', `${ROWS}/1`, { 'if-match': 'soon' }, 400],
    ['a limit that is not a number', 'GET', `${ROWS}?limit=many`, {}, 400],
  ])('refuses %s', async (_name, method, path, headers, status) => {
    const body = method === 'PATCH' ? { name: 'x' } : undefined
    const res = await apiRequest(t, method, path, { token, body, headers })
    expect(res.status).toBe(status)
  })

  it('appends a CSV body through COPY', async () => {
    const res = await apiRequest(t, 'POST', ROWS, {
      token,
      body: 'name,wingspan\nSnowy,150\nElf,27\n',
      headers: { 'content-type': 'text/csv' },
    })
    expect(res.status).toBe(201)
    expect(await res.json()).toEqual({ imported: 2 })
  })
})

describe('a row that is not there', () => {
  it.each([
    ['GET', undefined],
    ['PATCH', { name: 'x' }],
    ['DELETE', undefined],
  ])('is a 404 for %s', async (method, body) => {
    const res = await apiRequest(t, method, `${ROWS}/999`, { token, body })
    expect(res.status).toBe(404)
  })

  it('is a 412 for a change made against a stale version', async () => {
    const res = await apiRequest(t, 'PATCH', `${ROWS}/1`, {
      token,
      body: { name: 'Tawny' },
      headers: { 'if-match': '"7"' },
    })
    expect(res.status).toBe(412)
  })
})

describe('the API tab', () => {
  it('shows examples with the table’s address and columns, quoted for the shell', async () => {
    const html = await (await anonymousBrowser(t).request('/uma/tables/owls/api')).text()
    expect(html).toContain('/api/v1/uma/tables/owls/rows')
    expect(html).toContain('wingspan')
  })

  it('shows a choice column’s first choice as its sample', async () => {
    const html = await (await anonymousBrowser(t).request('/uma/tables/sightings/api')).text()
    expect(html).toContain('owl')
  })

  it('shows examples for a private table without columns', async () => {
    const { browser } = await signedInBrowser(t, 'uma')
    const res = await browser.request('/uma/tables/empty/api')
    expect(res.status).toBe(200)
    expect(await res.text()).toContain('Authorization: Bearer')
  })
})

describe('the interactive reference', () => {
  it.each([
    ['', '/api/v1/openapi.json'],
    ['?table=uma/owls', '/api/v1/uma/tables/owls/openapi.json'],
    ['?table=uma', '/api/v1/openapi.json'],
  ])('at /api/docs%s reads %s', async (query, spec) => {
    const html = await (await anonymousBrowser(t).request(`/api/docs${query}`)).text()
    expect(html).toContain(spec)
  })

  it.each([
    ['swagger-ui.css', 200, 'text/css; charset=utf-8'],
    ['swagger-ui-bundle.js', 200, 'text/javascript; charset=utf-8'],
    ['package.json', 404, null],
  ])('serves the asset %s with %i', async (file, status, type) => {
    const res = await anonymousBrowser(t).request(`/api/docs/assets/${file}`)
    expect(res.status).toBe(status)
    if (type) expect(res.headers.get('content-type')).toBe(type)
    await res.body?.cancel()
  })
})
