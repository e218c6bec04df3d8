import { readFile } from 'node:fs/promises'
import createClient from 'openapi-fetch'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { tokenFor } from '../test/api.js'
import { createTestApp, signedInBrowser, type TestApp } from '../test/app.js'
import { CLIENT_TYPES_PATH, generateClientTypes } from './client/generate.js'
import type { paths } from './client/schema.js'

let t: TestApp
let token: string
beforeAll(async () => {
  t = await createTestApp()
  const { user } = await signedInBrowser(t, 'ada')
  token = await tokenFor(t, user.id, ['read', 'write', 'schema'])
})
afterAll(() => t.database.close())

// A client compiled against the generated types, talking to the app in this process.
const client = () =>
  createClient<paths>({
    baseUrl: 'http://localhost/api/v1',
    headers: { Authorization: `Bearer ${token}` },
    fetch: (request) => Promise.resolve(t.app.request(request)),
  })

describe('a client generated from the OpenAPI document', () => {
  it('compiles against types that match the served document (scripts/api-types)', async () => {
    const committed = await readFile(CLIENT_TYPES_PATH, 'utf8')
    expect(await generateClientTypes(t.app)).toBe(committed)
  })

  it('creates a table, adds columns and rows, pages by cursor, updates conditionally, deletes', async () => {
    const api = client()
    const table = { username: 'ada', table: 'birds' }

    const created = await api.POST('/{username}/tables', {
      params: { path: { username: 'ada' } },
      body: { name: 'Birds', columns: [{ name: 'Name', type: 'text', required: true }] },
    })
    expect(created.response.status).toBe(201)
    expect(created.data?.columns.map((column) => column.slug)).toEqual(['name'])

    const added = await api.POST('/{username}/tables/{table}/columns', {
      params: { path: table },
      body: { name: 'Count', type: 'integer', default: 0 },
    })
    expect(added.data?.columns.map((column) => column.type)).toEqual(['text', 'integer'])

    const names = Array.from({ length: 250 }, (_, i) => `Bird ${String(i).padStart(3, '0')}`)
    const inserted = await api.POST('/{username}/tables/{table}/rows', {
      params: { path: table },
      body: names.map((name, i) => ({ name, count: i })),
    })
    expect(inserted.response.status).toBe(201)
    expect((inserted.data as { rows: unknown[] }).rows).toHaveLength(250)

    // Follow `next` until it runs out: every row once, in order.
    const seen: string[] = []
    let after: string | undefined
    do {
      const page = await api.GET('/{username}/tables/{table}/rows', {
        params: { path: table, query: { order: 'name', limit: '100', after } },
      })
      expect(page.data?.total).toBe(250)
      for (const row of page.data?.rows ?? []) seen.push(String(row.values.name))
      after = page.data?.next
        ? (new URL(page.data.next).searchParams.get('after') ?? undefined)
        : undefined
    } while (after)
    expect(seen).toEqual(names)

    const first = await api.GET('/{username}/tables/{table}/rows/{row}', {
      params: { path: { ...table, row: '1' } },
    })
    const etag = first.response.headers.get('etag') ?? ''
    const updated = await api.PATCH('/{username}/tables/{table}/rows/{row}', {
      params: { path: { ...table, row: '1' } },
      body: { count: 41 },
      headers: { 'If-Match': etag },
    })
    expect(updated.data?.values.count).toBe(41)
    // The same version again is stale now: 412, and nothing changes.
    const stale = await api.PATCH('/{username}/tables/{table}/rows/{row}', {
      params: { path: { ...table, row: '1' } },
      body: { count: 99 },
      headers: { 'If-Match': etag },
    })
    expect(stale.response.status).toBe(412)
    expect(stale.error?.detail).toContain('changed since version 1')

    const removed = await api.DELETE('/{username}/tables/{table}/rows/{row}', {
      params: { path: { ...table, row: '1' } },
    })
    expect(removed.response.status).toBe(204)
    const gone = await api.DELETE('/{username}/tables/{table}', { params: { path: table } })
    expect(gone.response.status).toBe(204)
    const missing = await api.GET('/{username}/tables/{table}', { params: { path: table } })
    expect(missing.response.status).toBe(404)
  })
})
