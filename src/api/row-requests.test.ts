import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { apiRequest, tokenFor } from '../test/api.js'
import { createTestApp, signedInBrowser, type TestApp } from '../test/app.js'
import { birdTable } from '../test/tables.js'

let t: TestApp
let token: string
beforeAll(async () => {
  t = await createTestApp()
  const { user } = await signedInBrowser(t, 'rhea')
  token = await tokenFor(t, user.id, ['read', 'write'])
  await birdTable(t, user.id, 'Nests')
})
afterAll(() => t.database.close())

describe('row requests at the edges of HTTP', () => {
  it('refuses an If-Match that is not an ETag, and changes nothing', async () => {
    const res = await apiRequest(t, 'PATCH', '/rhea/tables/nests/rows/1', {
      token,
      body: { count: 9 },
      headers: { 'if-match': 'version seven' },
    })
    expect(res.status).toBe(400)
    const body = (await res.json()) as { errors: { pointer: string }[] }
    expect(body.errors.map((error) => error.pointer)).toEqual(['#/If-Match'])
    const row = await apiRequest(t, 'GET', '/rhea/tables/nests/rows/1', { token })
    expect(((await row.json()) as { values: { count: number } }).values.count).toBe(3)
  })

  it('answers 304 when the row is still the version the client has', async () => {
    const first = await apiRequest(t, 'GET', '/rhea/tables/nests/rows/1', { token })
    const etag = first.headers.get('etag') ?? ''
    const again = await apiRequest(t, 'GET', '/rhea/tables/nests/rows/1', {
      token,
      headers: { 'if-none-match': `"0", ${etag}` },
    })
    expect(again.status).toBe(304)
  })

  it('refuses a body without a content type as unsupported', async () => {
    const res = await t.app.request('http://localhost/api/v1/rhea/tables/nests/rows', {
      method: 'POST',
      headers: { authorization: `Bearer ${token}` },
      body: new Uint8Array([123, 125]),
    })
    expect(res.status).toBe(415)
  })
})
