import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { revokeApiToken } from '../auth/tokens.js'
import { setFileCell } from '../datasource/file-cells.js'
import { insertRows } from '../datasource/row-writes.js'
import { createTable } from '../datasource/tables.js'
import { streamOf } from '../storage/storage.js'
import { apiRequest, tokenFor } from '../test/api.js'
import { createTestApp, signedInBrowser, type TestApp } from '../test/app.js'

// Every API route × every kind of caller, on a private table of ada's (and, below, a public one).
type Caller = 'none' | 'other' | 'read' | 'write' | 'schema' | 'revoked' | 'expired' | 'limited'
const CALLERS: Caller[] = [
  'none',
  'other',
  'read',
  'write',
  'schema',
  'revoked',
  'expired',
  'limited',
]

let t: TestApp
let adaId: number
const tokens = {} as Record<Caller, string | null>
beforeAll(async () => {
  t = await createTestApp()
  adaId = (await signedInBrowser(t, 'ada')).user.id
  const bob = (await signedInBrowser(t, 'bob')).user
  const elsewhere = await createTable(t.database.db, {
    ownerId: adaId,
    name: 'Elsewhere',
    columns: [],
  })
  tokens.none = null
  tokens.other = await tokenFor(t, bob.id, ['read', 'write', 'schema'])
  tokens.read = await tokenFor(t, adaId, ['read'])
  tokens.write = await tokenFor(t, adaId, ['write'])
  tokens.schema = await tokenFor(t, adaId, ['schema'])
  const revoked = await tokenFor(t, adaId, ['read', 'write', 'schema'])
  tokens.revoked = revoked
  const [row] = await t.database.db
    .selectFrom('api_tokens')
    .select('id')
    .orderBy('id', 'desc')
    .limit(1)
    .execute()
  await revokeApiToken(t.database.db, adaId, Number(row?.id))
  tokens.expired = await tokenFor(t, adaId, ['read', 'write', 'schema'], {
    expiresAt: new Date(Date.now() - 1000),
  })
  tokens.limited = await tokenFor(t, adaId, ['read', 'write', 'schema'], {
    tableIds: [elsewhere.id],
  })
})
afterAll(() => t.database.close())

// A fresh table for every request, so a delete or a rename never changes what the next one meets.
let made = 0
async function freshTable(isPublic: boolean) {
  const table = await createTable(t.database.db, {
    ownerId: adaId,
    name: `Scratch ${++made}`,
    isPublic,
    columns: [
      { name: 'Name', type: 'text' },
      { name: 'Doc', type: 'file' },
    ],
  })
  await insertRows(t.database.db, table, [{ name: 'Wren' }])
  // A stored file (standing in for its own thumbnail too) for the file routes to find.
  const { key, size } = await t.storage.put(streamOf('hello'), { maxBytes: 100 })
  const ref = { key, name: 'hello.txt', type: 'text/plain', size, thumbnail: key }
  await setFileCell(t.database.db, table, 1, table.columns[1]?.id ?? 0, ref)
  return table.slug
}

type Route = { body?: unknown | (() => unknown); path: (slug: string) => string }
const bodyOf = (route: Route) => (typeof route.body === 'function' ? route.body() : route.body)
const ROUTES: Record<string, Route> = {
  'GET /user': { path: () => '/user' },
  'GET /openapi.json': { path: () => '/openapi.json' },
  'GET /:username/tables': { path: () => '/ada/tables' },
  'POST /:username/tables': { path: () => '/ada/tables', body: () => ({ name: `New ${++made}` }) },
  'GET /:username/tables/:table': { path: (s) => `/ada/tables/${s}` },
  'PATCH /:username/tables/:table': { path: (s) => `/ada/tables/${s}`, body: { description: 'x' } },
  'DELETE /:username/tables/:table': { path: (s) => `/ada/tables/${s}` },
  'GET /:username/tables/:table/openapi.json': { path: (s) => `/ada/tables/${s}/openapi.json` },
  'POST /:username/tables/:table/columns': {
    path: (s) => `/ada/tables/${s}/columns`,
    body: { name: 'Age', type: 'integer' },
  },
  'PATCH /:username/tables/:table/columns/:column': {
    path: (s) => `/ada/tables/${s}/columns/name`,
    body: { name: 'Title' },
  },
  'DELETE /:username/tables/:table/columns/:column': {
    path: (s) => `/ada/tables/${s}/columns/name`,
  },
  'GET /:username/tables/:table/rows': { path: (s) => `/ada/tables/${s}/rows` },
  'POST /:username/tables/:table/rows': {
    path: (s) => `/ada/tables/${s}/rows`,
    body: { name: 'Robin' },
  },
  'GET /:username/tables/:table/rows/:row{[0-9]{1,15}}': { path: (s) => `/ada/tables/${s}/rows/1` },
  'PATCH /:username/tables/:table/rows/:row{[0-9]{1,15}}': {
    path: (s) => `/ada/tables/${s}/rows/1`,
    body: { name: 'Robin' },
  },
  'DELETE /:username/tables/:table/rows/:row{[0-9]{1,15}}': {
    path: (s) => `/ada/tables/${s}/rows/1`,
  },
  'PUT /:username/tables/:table/rows/:row{[0-9]{1,15}}/files/:column': {
    path: (s) => `/ada/tables/${s}/rows/1/files/doc`,
    body: new Uint8Array(Buffer.from('new notes')),
  },
  'GET /:username/tables/:table/rows/:row{[0-9]{1,15}}/files/:column': {
    path: (s) => `/ada/tables/${s}/rows/1/files/doc`,
  },
  'GET /:username/tables/:table/rows/:row{[0-9]{1,15}}/files/:column/thumbnail': {
    path: (s) => `/ada/tables/${s}/rows/1/files/doc/thumbnail`,
  },
  'DELETE /:username/tables/:table/rows/:row{[0-9]{1,15}}/files/:column': {
    path: (s) => `/ada/tables/${s}/rows/1/files/doc`,
  },
  'GET /:username/tables/:table/export.csv': { path: (s) => `/ada/tables/${s}/export.csv` },
  'GET /:username/tables/:table/export.json': { path: (s) => `/ada/tables/${s}/export.json` },
}

// Statuses by caller, in CALLERS order. A revoked or expired token is refused before any route.
const R = (...codes: number[]) => codes
const READ_PRIVATE = R(404, 404, 200, 200, 200, 401, 401, 404)
const SCHEMA_PRIVATE = (ok: number) => R(404, 404, 403, 403, ok, 401, 401, 404)
const WRITE_PRIVATE = (ok: number) => R(404, 404, 403, ok, 403, 401, 401, 404)
const PRIVATE: Record<string, number[]> = {
  'GET /user': R(401, 200, 200, 200, 200, 401, 401, 200),
  'GET /openapi.json': R(200, 200, 200, 200, 200, 401, 401, 200),
  'GET /:username/tables': R(200, 200, 200, 200, 200, 401, 401, 200),
  'POST /:username/tables': R(401, 403, 403, 403, 201, 401, 401, 403),
  'GET /:username/tables/:table': READ_PRIVATE,
  'PATCH /:username/tables/:table': SCHEMA_PRIVATE(200),
  'DELETE /:username/tables/:table': SCHEMA_PRIVATE(204),
  'GET /:username/tables/:table/openapi.json': READ_PRIVATE,
  'POST /:username/tables/:table/columns': SCHEMA_PRIVATE(201),
  'PATCH /:username/tables/:table/columns/:column': SCHEMA_PRIVATE(200),
  'DELETE /:username/tables/:table/columns/:column': SCHEMA_PRIVATE(204),
  'GET /:username/tables/:table/rows': READ_PRIVATE,
  'POST /:username/tables/:table/rows': WRITE_PRIVATE(201),
  'GET /:username/tables/:table/rows/:row{[0-9]{1,15}}': READ_PRIVATE,
  'PATCH /:username/tables/:table/rows/:row{[0-9]{1,15}}': WRITE_PRIVATE(200),
  'DELETE /:username/tables/:table/rows/:row{[0-9]{1,15}}': WRITE_PRIVATE(204),
  'PUT /:username/tables/:table/rows/:row{[0-9]{1,15}}/files/:column': WRITE_PRIVATE(200),
  'GET /:username/tables/:table/rows/:row{[0-9]{1,15}}/files/:column': READ_PRIVATE,
  'GET /:username/tables/:table/rows/:row{[0-9]{1,15}}/files/:column/thumbnail': READ_PRIVATE,
  'DELETE /:username/tables/:table/rows/:row{[0-9]{1,15}}/files/:column': WRITE_PRIVATE(204),
  'GET /:username/tables/:table/export.csv': READ_PRIVATE,
  'GET /:username/tables/:table/export.json': READ_PRIVATE,
}

// On a public table anyone reads; writes are the owner's alone (401 without a token, else 403).
const PUBLIC_OVERRIDES: Record<Caller, (code: number, method: string) => number> = {
  none: (_, method) => (method === 'GET' ? 200 : 401),
  other: (_, method) => (method === 'GET' ? 200 : 403),
  read: (code) => code,
  write: (code) => code,
  schema: (code) => code,
  revoked: (code) => code,
  expired: (code) => code,
  limited: (_, method) => (method === 'GET' ? 200 : 403),
}

describe('the API authorization matrix', () => {
  it('covers every API route the app has, and nothing more', () => {
    const registered = t.app.routes
      .filter((route) => route.path.startsWith('/api/v1/') && route.method !== 'ALL')
      // The exports' handler is the pages' own; its two addresses are in the matrix.
      .filter((route) => !route.path.includes(':file'))
      .map((route) => `${route.method} ${route.path.slice('/api/v1'.length)}`)
    expect([...new Set(registered)].sort()).toEqual(Object.keys(ROUTES).sort())
  })

  const cells = (visibility: 'private' | 'public') =>
    Object.entries(PRIVATE).flatMap(([route, codes]) =>
      CALLERS.map((caller, index) => {
        const method = route.split(' ')[0] as string
        const onTable = route.includes(':table')
        const code = codes[index] as number
        const expected =
          visibility === 'public' && onTable ? PUBLIC_OVERRIDES[caller](code, method) : code
        return [route, caller, expected] as const
      }),
    )

  it.each(cells('private'))('on a private table, %s by %s: %i', async (route, caller, expected) => {
    const spec = ROUTES[route] as Route
    const method = route.split(' ')[0] as string
    const res = await apiRequest(t, method, spec.path(await freshTable(false)), {
      token: tokens[caller],
      body: bodyOf(spec),
    })
    expect(res.status, await res.text()).toBe(expected)
  })

  it.each(cells('public'))('on a public table, %s by %s: %i', async (route, caller, expected) => {
    const spec = ROUTES[route] as Route
    const method = route.split(' ')[0] as string
    const res = await apiRequest(t, method, spec.path(await freshTable(true)), {
      token: tokens[caller],
      body: bodyOf(spec),
    })
    expect(res.status, await res.text()).toBe(expected)
  })
})
