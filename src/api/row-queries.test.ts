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
