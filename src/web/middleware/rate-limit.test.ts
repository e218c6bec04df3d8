import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { readConfig } from '../../config.js'
import { insertRow } from '../../datasource/row-inserts.js'
import { createTable } from '../../datasource/tables.js'
import { createTestApp, RATE_LIMITS_OFF, signedInBrowser, type TestApp } from '../../test/app.js'
import { Browser } from '../../test/browser.js'
import { uploadFromForm } from '../../test/files.js'
import { birdTable } from '../../test/tables.js'
import { createApp } from '../app.js'

const LIMITS = {
  RATE_LIMIT_SIGN_IN: '2/10m',
  RATE_LIMIT_IMPORTS: '2/1h',
  RATE_LIMIT_EXPORTS: '2/10m',
  RATE_LIMIT_SEARCHES: '3/1m',
  RATE_LIMIT_UPLOADS: '2/10m',
  TRUST_PROXY: 'true',
}

let t: TestApp
// A second worker: another app over the same database, as another process or dyno would be.
let second: ReturnType<typeof createApp>
let aliceId: number
beforeAll(async () => {
  t = await createTestApp({ env: LIMITS })
  second = createApp({ config: t.config, database: t.database })
  aliceId = (await signedInBrowser(t, 'alice')).user.id
  await birdTable(t, aliceId, 'Birds')
})
afterAll(() => t.database.close())

let addresses = 0
// A fresh client address for each test, so counts never carry over between tests.
const newAddress = () => `198.51.100.${++addresses}`

const fromAddress = (app: { request: typeof t.app.request }, address: string) =>
  new Browser('http://localhost', (request) => {
    request.headers.set('x-forwarded-for', `203.0.113.250, ${address}`)
    return app.request(request)
  })

describe('a rate limit', () => {
  it('holds across two app instances on one database, then answers 429 with Retry-After', async () => {
    const address = newAddress()
    const workers = [fromAddress(t.app, address), fromAddress(second, address)]
    const statuses = []
    for (let n = 0; n < 4; n++) {
      const res = await workers[n % 2]?.request('/alice/tables/birds?search=wren')
      statuses.push(res?.status)
      if (n < 3) {
        expect(res?.headers.get('ratelimit-limit')).toBe('3')
        expect(res?.headers.get('ratelimit-remaining')).toBe(String(2 - n))
      } else {
        expect(res?.headers.get('ratelimit-remaining')).toBe('0')
        const retry = Number(res?.headers.get('retry-after'))
        expect(retry).toBeGreaterThan(0)
        expect(retry).toBeLessThanOrEqual(60)
        expect(res?.headers.get('ratelimit-reset')).toBe(String(retry))
        const html = (await res?.text()) ?? ''
        expect(html).toContain('Too many requests')
        expect(html).toContain('Too many searches: the limit is 3 every minute.')
        expect(html).toMatch(/Please try again in \d+ seconds\./)
      }
    }
    expect(statuses).toEqual([200, 200, 200, 429])
  })

  it('answers in JSON when JSON was asked for', async () => {
    const client = fromAddress(t.app, newAddress())
    for (let n = 0; n < 3; n++) await client.request('/alice/tables/birds?search=x&format=json')
    const res = await client.request('/alice/tables/birds?search=x&format=json')
    expect(res.status).toBe(429)
    expect(await res.json()).toMatchObject({ status: 429, title: 'Too Many Requests' })
  })

  it('counts each address on its own, and only the requests it limits', async () => {
    const one = fromAddress(t.app, newAddress())
    const two = fromAddress(t.app, newAddress())
    for (let n = 0; n < 3; n++)
      expect((await one.request('/alice/tables/birds?search=a')).status).toBe(200)
    expect((await one.request('/alice/tables/birds?search=a')).status).toBe(429)
    expect((await two.request('/alice/tables/birds?search=a')).status).toBe(200)
    // Browsing without a search is not a search.
    const plain = await one.request('/alice/tables/birds?page=2')
    expect(plain.status).toBe(200)
    expect(plain.headers.get('ratelimit-limit')).toBeNull()
  })

  it('counts a signed-in user wherever they are', async () => {
    const { browser } = await signedInBrowser(t, 'roamer')
    const statuses = []
    for (let n = 0; n < 4; n++) {
      const res = await browser.request('/alice/tables/birds?search=b', {
        headers: { 'x-forwarded-for': newAddress() },
      })
      statuses.push(res.status)
    }
    expect(statuses).toEqual([200, 200, 200, 429])
  })

  it('limits exports', async () => {
    const client = fromAddress(second, newAddress())
    const statuses = []
    for (let n = 0; n < 3; n++)
      statuses.push((await client.request('/alice/tables/birds/export.csv')).status)
    expect(statuses).toEqual([200, 200, 429])
  })

  it('limits sign-in attempts from one address, across both steps', async () => {
    const client = fromAddress(t.app, newAddress())
    await client.get('/auth/login')
    expect((await client.post('/auth/login', { next: '/' })).status).toBe(303)
    // GitHub's callback counts too (here with no state, so it is refused anyway).
    expect((await client.request('/auth/callback?code=x&state=y')).status).toBe(400)
    const res = await client.post('/auth/login', { next: '/' })
    expect(res.status).toBe(429)
    expect(await res.text()).toContain('Too many sign-in attempts from your network')
    // Another address can still sign in.
    const other = fromAddress(t.app, newAddress())
    await other.get('/auth/login')
    expect((await other.post('/auth/login', { next: '/' })).status).toBe(303)
  })

  it('limits imports per user', async () => {
    const { browser } = await signedInBrowser(t, 'importer')
    await browser.get('/importer/tables/import')
    const upload = () => {
      const form = new FormData()
      form.append('file', new Blob(['bird\nWren\n']), 'birds.csv')
      return browser.request(`/importer/tables/import?_csrf=${browser.csrfToken}`, {
        method: 'POST',
        body: form,
        headers: { origin: 'http://localhost', 'x-forwarded-for': newAddress() },
      })
    }
    expect((await upload()).status).toBe(303)
    expect((await upload()).status).toBe(303)
    const res = await upload()
    expect(res.status).toBe(429)
    expect(await res.text()).toContain('Too many imports: the limit is 2 every hour.')
  })

  it('limits file uploads from the row form per user', async () => {
    const { browser, user } = await signedInBrowser(t, 'uploader')
    const table = await createTable(t.database.db, {
      ownerId: user.id,
      name: 'Papers',
      columns: [{ name: 'Scan', type: 'file' }],
    })
    const inserted = await insertRow(t.database.db, table, {})
    const id = inserted.ok ? inserted.row.id : 0
    await browser.get(`/uploader/tables/papers/${id}/edit`)
    const path = `/uploader/tables/papers/${id}/files/scan`
    const statuses = []
    for (let n = 0; n < 3; n++) {
      const res = await uploadFromForm(browser, path, {
        bytes: Buffer.from(`page ${n}`),
        name: 'a.txt',
      })
      statuses.push(res.status)
      if (n === 2)
        expect(await res.text()).toContain('Too many uploads: the limit is 2 every 10 minutes.')
    }
    expect(statuses).toEqual([303, 303, 429])
  })

  it('is not counted at all when it is off', async () => {
    const app = createApp({
      config: readConfig({ NODE_ENV: 'test', ...RATE_LIMITS_OFF }),
      database: t.database,
    })
    const res = await app.request('http://localhost/alice/tables/birds?search=wren')
    expect(res.status).toBe(200)
    expect(res.headers.get('ratelimit-limit')).toBeNull()
  })

  it('uses the connection’s address behind a trusted proxy that sent no X-Forwarded-For', async () => {
    const app = createApp({
      config: readConfig({ NODE_ENV: 'test', TRUST_PROXY: 'true', RATE_LIMIT_EXPORTS: '1/1m' }),
      database: t.database,
    })
    expect((await app.request('http://localhost/alice/tables/birds/export.csv')).status).toBe(200)
    expect((await app.request('http://localhost/alice/tables/birds/export.csv')).status).toBe(429)
  })

  it('counts a client with no address it can tell as “unknown”', async () => {
    const app = createApp({
      config: readConfig({ NODE_ENV: 'test', RATE_LIMIT_SEARCHES: '1/1m' }),
      database: t.database,
    })
    expect((await app.request('http://localhost/alice/tables/birds?search=a')).status).toBe(200)
    expect((await app.request('http://localhost/alice/tables/birds?search=a')).status).toBe(429)
  })
})
