// The API's edges, one request each: conditional requests, cursors and orders that do not fit,
// bodies too large or of the wrong type, a renamed table, the caller route, the token cap.
// (The API tab and the interactive reference: src/web/routes/table-api.test.ts.)
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ANONYMOUS, sessionActor, tokenActor } from '../application/actor.js'
import { ForbiddenError, UnauthorizedError } from '../application/errors.js'
import { createToken } from '../application/tokens.js'
import { MAX_TOKENS_PER_USER } from '../auth/tokens.js'
import { insertRows } from '../datasource/row-writes.js'
import { createTable } from '../datasource/tables.js'
import type { TableInfo } from '../datasource/types.js'
import { apiRequest, tokenFor } from '../test/api.js'
import { createTestApp, signedInBrowser, type TestApp } from '../test/app.js'
import { API_JSON_LIMIT } from './body.js'

let t: TestApp
let token: string
let table: TableInfo
let userId: number
let ada: Awaited<ReturnType<typeof signedInBrowser>>
beforeAll(async () => {
  t = await createTestApp()
  ada = await signedInBrowser(t, 'ada')
  userId = ada.user.id
  token = await tokenFor(t, userId, ['read', 'write', 'schema'])
  table = await createTable(t.database.db, {
    ownerId: userId,
    name: 'Animals',
    columns: [
      { name: 'Name', type: 'text', required: true },
      { name: 'Legs', type: 'integer' },
      { name: 'Kind', type: 'choice', choices: ['bird', 'fish'] },
    ],
  })
  await insertRows(t.database.db, table, [
    { name: 'Wren', legs: '2', kind: 'bird' },
    { name: 'Pike', legs: '0', kind: 'fish' },
    { name: 'Robin', legs: '2', kind: 'bird' },
  ])
})
afterAll(() => t.database.close())

const get = (path: string, headers: Record<string, string> = {}) =>
  apiRequest(t, 'GET', path, { token, headers })

describe('conditional requests', () => {
  it('answers 304 to If-None-Match with the current ETag, and 200 to an old one', async () => {
    const first = await get('/ada/tables/animals/rows/1')
    const tag = first.headers.get('etag') ?? ''
    expect(tag).toMatch(/^"\d+"$/)
    expect(
      (await get('/ada/tables/animals/rows/1', { 'if-none-match': `"0", ${tag}` })).status,
    ).toBe(304)
    expect((await get('/ada/tables/animals/rows/1', { 'if-none-match': '"999"' })).status).toBe(200)
  })

  it.each([
    ['PATCH', 'garbage', 400],
    ['PATCH', '"999"', 412],
    ['DELETE', '"999"', 412],
    ['DELETE', 'W/"x"', 400],
  ])('%s with If-Match %s: %i, the row unchanged', async (method, ifMatch, status) => {
    const res = await apiRequest(t, method, '/ada/tables/animals/rows/2', {
      token,
      body: method === 'PATCH' ? { legs: 7 } : undefined,
      headers: { 'if-match': ifMatch },
    })
    expect(res.status).toBe(status)
    expect(res.headers.get('content-type')).toContain('application/problem+json')
    const row = await (await get('/ada/tables/animals/rows/2')).json()
    expect(row.values).toMatchObject({ legs: 0 })
  })

  it.each([
    ['GET', undefined],
    ['PATCH', { legs: 1 }],
    ['DELETE', undefined],
  ])('%s of a row that does not exist: 404', async (method, body) => {
    const res = await apiRequest(t, method, '/ada/tables/animals/rows/999', { token, body })
    expect(res.status).toBe(404)
  })
})

describe('orders and cursors', () => {
  it.each([
    ['order=colour', 'order'],
    ['order=-', 'order'],
    ['after=not-a-cursor', 'after'],
    ['limit=0', 'limit'],
  ])('?%s is a 400 naming %s', async (query, field) => {
    const res = await get(`/ada/tables/animals/rows?${query}`)
    expect(res.status).toBe(400)
    expect((await res.json()).errors).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ pointer: expect.stringContaining(field) }),
      ]),
    )
  })

  it('refuses a cursor made for another order', async () => {
    const page = await (await get('/ada/tables/animals/rows?order=name&limit=1')).json()
    const after = new URL(page.next).searchParams.get('after') ?? ''
    const res = await get(`/ada/tables/animals/rows?order=legs&after=${encodeURIComponent(after)}`)
    expect(res.status).toBe(400)
    expect((await res.json()).detail).toContain('does not fit this order')
  })

  it('follows a cursor in descending order to the end', async () => {
    const names: string[] = []
    let next: string | null = '/ada/tables/animals/rows?order=-name&limit=2'
    while (next) {
      const page: { rows: { values: { name: string } }[]; next: string | null } = await (
        await get(next)
      ).json()
      names.push(...page.rows.map((row) => row.values.name))
      next =
        page.next && new URL(page.next).pathname.replace('/api/v1', '') + new URL(page.next).search
    }
    expect(names).toEqual(['Wren', 'Robin', 'Pike'])
  })
})

describe('bodies', () => {
  it('refuses a declared body over the JSON limit before reading it: 413', async () => {
    const res = await apiRequest(t, 'POST', '/ada/tables/animals/rows', {
      token,
      body: '{}',
      headers: { 'content-length': String(API_JSON_LIMIT + 1) },
    })
    expect(res.status).toBe(413)
    expect((await res.json()).detail).toContain('CSV')
  })

  it('refuses a streamed body as soon as it passes the limit: 413', async () => {
    const chunk = new Uint8Array(1024 * 1024).fill(0x20)
    let sent = 0
    const body = new ReadableStream<Uint8Array>({
      pull(controller) {
        sent += 1
        if (sent > 20) controller.close()
        else controller.enqueue(chunk)
      },
    })
    const res = await t.app.request('http://localhost/api/v1/ada/tables/animals/rows', {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body,
      duplex: 'half',
    } as RequestInit)
    expect(res.status).toBe(413)
    expect(sent).toBeLessThanOrEqual(18)
  })

  it.each([
    ['PATCH', '/ada/tables/animals'],
    ['POST', '/ada/tables/animals/columns'],
    ['PATCH', '/ada/tables/animals/rows/1'],
  ])('%s %s as a form: 415', async (method, path) => {
    const res = await apiRequest(t, method, path, {
      token,
      body: 'name=x',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    })
    expect(res.status).toBe(415)
  })

  it('appends a CSV body through COPY, all rows or none', async () => {
    const csv = (body: string) =>
      apiRequest(t, 'POST', '/ada/tables/animals/rows', {
        token,
        body,
        headers: { 'content-type': 'text/csv' },
      })
    const good = await csv('name,legs\nSwan,2\nEel,0\n')
    expect(good.status).toBe(201)
    expect(await good.json()).toEqual({ imported: 2 })
    const bad = await csv('name,legs\nCrab,10\nSnail,one\n')
    expect(bad.status).toBe(400)
    const list = await (await get('/ada/tables/animals/rows?search=snail')).json()
    expect(list.rows).toEqual([])
  })

  it('refuses a body without a content type as unsupported: 415', async () => {
    const res = await t.app.request('http://localhost/api/v1/ada/tables/animals/rows', {
      method: 'POST',
      headers: { authorization: `Bearer ${token}` },
      body: new Uint8Array([123, 125]),
    })
    expect(res.status).toBe(415)
  })

  it('reads JSON sent as a +json type', async () => {
    const res = await apiRequest(t, 'POST', '/ada/tables/animals/rows', {
      token,
      body: { name: 'Heron', legs: 2 },
      headers: { 'content-type': 'application/merge-patch+json; charset=utf-8' },
    })
    expect(res.status).toBe(201)
    expect(res.headers.get('location')).toMatch(/\/api\/v1\/ada\/tables\/animals\/rows\/\d+$/)
  })
})

describe('schema changes through the API', () => {
  it('sets and refuses a column default by its type', async () => {
    const good = await apiRequest(t, 'PATCH', '/ada/tables/animals/columns/legs', {
      token,
      body: { default: 4 },
    })
    expect(good.status).toBe(200)
    const bad = await apiRequest(t, 'PATCH', '/ada/tables/animals/columns/kind', {
      token,
      body: { default: 'mammal' },
    })
    expect(bad.status).toBe(400)
    expect((await bad.json()).errors).toEqual([expect.objectContaining({ pointer: '#/default' })])
  })

  it('refuses a table from a token limited to chosen tables, and a retype the values do not fit', async () => {
    const limited = await tokenFor(t, userId, ['read', 'write', 'schema'], { tableIds: [table.id] })
    const made = await apiRequest(t, 'POST', '/ada/tables', { token: limited, body: { name: 'X' } })
    expect(made.status).toBe(403)
    const retyped = await apiRequest(t, 'PATCH', '/ada/tables/animals/columns/name', {
      token,
      body: { type: 'integer' },
    })
    expect(retyped.status).toBe(409)
    expect((await retyped.json()).errors).toEqual([expect.objectContaining({ pointer: '#/type' })])
  })

  it('makes a table public and sends its old address to the new one after a rename', async () => {
    const res = await apiRequest(t, 'PATCH', '/ada/tables/animals', {
      token,
      body: { name: 'Creatures', visibility: 'public' },
    })
    expect(res.status).toBe(200)
    expect(await res.json()).toMatchObject({ slug: 'creatures', visibility: 'public' })
    const moved = await get('/ada/tables/animals/rows?limit=1')
    expect([301, 308]).toContain(moved.status)
    expect(moved.headers.get('location')).toContain('/api/v1/ada/tables/creatures/rows?limit=1')
    // Public now: anyone reads it.
    expect((await apiRequest(t, 'GET', '/ada/tables/creatures/rows')).status).toBe(200)
  })
})

describe('the caller', () => {
  it('is a 401 without a token', async () => {
    const res = await apiRequest(t, 'GET', '/user')
    expect(res.status).toBe(401)
  })

  it('names the tables a limited token may use', async () => {
    const limited = await tokenFor(t, userId, ['read'], { tableIds: [table.id] })
    const res = await apiRequest(t, 'GET', '/user', { token: limited })
    expect(await res.json()).toMatchObject({
      username: 'ada',
      via: 'token',
      scopes: ['read'],
      token: { tables: ['creatures'] },
    })
  })

  it('answers for a signed-in browser too', async () => {
    const { html } = await ada.browser.get('/api/v1/user')
    expect(JSON.parse(html)).toMatchObject({ username: 'ada', via: 'session', token: null })
  })
})

describe('tokens are made from a signed-in browser only, within a cap', () => {
  const actorUser = (user: { id: number; username: string; name: string | null }) => ({
    ...user,
    avatarUrl: null,
  })
  const input = { name: 'n', scopes: ['read'], tableIds: [], expiry: 'never' }

  it('refuses a visitor and a token', async () => {
    const db = t.database.db
    await expect(createToken(db, ANONYMOUS, input as never)).rejects.toBeInstanceOf(
      UnauthorizedError,
    )
    const viaToken = tokenActor(actorUser(ada.user), {
      id: 1,
      scopes: ['read', 'write', 'schema'],
      tableIds: null,
    })
    await expect(createToken(db, viaToken, input as never)).rejects.toBeInstanceOf(ForbiddenError)
  })

  it(`refuses the token after ${MAX_TOKENS_PER_USER}, and tables that are not the user's`, async () => {
    const db = t.database.db
    const actor = sessionActor(actorUser(ada.user))
    await expect(
      createToken(db, actor, { ...input, tableIds: [table.id + 1000] } as never),
    ).rejects.toMatchObject({ errors: { tableIds: 'Choose among your own tables' } })
    await expect(createToken(db, actor, { ...input, scopes: [] } as never)).rejects.toMatchObject({
      errors: { scopes: expect.any(String) },
    })
    const { user } = await signedInBrowser(t, 'bea')
    const bea = sessionActor(actorUser(user))
    for (let i = 0; i < MAX_TOKENS_PER_USER; i++) await createToken(db, bea, input as never)
    await expect(createToken(db, bea, input as never)).rejects.toMatchObject({
      message: expect.stringContaining('the most allowed'),
    })
  })
})
