// Every place a redirect target comes from the request, against a table of hostile targets.
import type { AddressInfo } from 'node:net'
import { serve } from '@hono/node-server'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { hasControlCharacters } from '../lib/text.js'
import { createTestApp, signedInBrowser, type TestApp } from '../test/app.js'
import { Browser } from '../test/browser.js'
import { birdTable } from '../test/tables.js'

// A real server: the sign-in's end swaps a code with the mock GitHub over HTTP.
let t: TestApp
let server: ReturnType<typeof serve>
let base: string
let ownerId: number
beforeAll(async () => {
  t = await createTestApp()
  ownerId = (await signedInBrowser(t, 'owner')).user.id
  await new Promise<void>((resolve) => {
    server = serve({ fetch: t.app.fetch, port: 0, hostname: '127.0.0.1' }, () => resolve())
  })
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
})
afterAll(async () => {
  await new Promise((resolve) => server.close(resolve))
  await t.database.close()
})

const HOSTILE: [string, string][] = [
  ['a tab after the slash (/%09/evil.com)', '/\t/evil.com'],
  ['a protocol-relative URL', '//evil.com'],
  ['a backslash', '/\\evil.com'],
  ['another site', 'https://evil.com/x'],
  ['javascript:', 'javascript:alert(document.cookie)'],
  ['a path that normalizes to //', '/.//evil.com'],
  ['CR LF', '/x\r\nSet-Cookie: session=stolen'],
  ['a NUL', '/x\u0000y'],
  ['100 kB', `/${'a'.repeat(100 * 1024)}`],
]

// A Location the browser resolves on this site, with nothing of the hostile target in it.
function expectLocal(location: string | null) {
  expect(location).not.toBeNull()
  expect(location?.startsWith('/')).toBe(true)
  expect(location?.startsWith('//')).toBe(false)
  expect(location).not.toMatch(/evil|javascript|stolen/i)
  expect(location?.length).toBeLessThan(2100)
}

describe('a hostile redirect target', () => {
  it.each(HOSTILE)('in ?next= of the sign-in page (%s) is dropped', async (_name, target) => {
    // In process: a real server refuses a 100 kB address itself (431).
    const visitor = new Browser('http://localhost', (request) => t.app.request(request))
    const page = await visitor.get(`/auth/login?${new URLSearchParams({ next: target })}`)
    expect(page.res.status).toBe(200)
    expect(/<section[\s\S]*name="next" value="([^"]*)"/.exec(page.html)?.[1]).toBe('/')
    const { browser } = await signedInBrowser(t, 'visitor')
    const res = await browser.request(`/auth/login?${new URLSearchParams({ next: target })}`)
    expect(res.status).toBe(302)
    expect(res.headers.get('location')).toBe('/')
  })

  it.each(HOSTILE)(
    'at the end of a real sign-in (%s) lands on the profile',
    async (_name, target) => {
      const browser = new Browser(base)
      await browser.get('/')
      const login = await browser.post('/auth/login', { next: target })
      expect(login.status).toBe(303)
      const params = new URL(login.headers.get('location') ?? '').searchParams
      await browser.get(`/mock-github/login/oauth/authorize?${params}`)
      const allowed = await browser.post('/mock-github/login/oauth/authorize', {
        redirect_uri: params.get('redirect_uri') ?? '',
        state: params.get('state') ?? '',
        login: 'traveller',
      })
      const callback = new URL(allowed.headers.get('location') ?? '')
      const res = await browser.request(callback.pathname + callback.search)
      expect(res.status).toBe(303)
      expect(res.headers.get('location')).toBe('/traveller')
    },
  )

  it.each(HOSTILE)(
    'in the back field of a bulk delete (%s) goes back to the table',
    async (_name, target) => {
      const table = await birdTable(t, ownerId, `Back ${Math.random().toString(36).slice(2)}`)
      const { browser } = await signedInBrowser(t, 'owner')
      await browser.get(`/owner/tables/${table.slug}`)
      const res = await browser.post(`/owner/tables/${table.slug}/delete-rows`, {
        ids: '1',
        back: target,
      })
      expect(res.status).toBe(303)
      expect(res.headers.get('location')).toBe(`/owner/tables/${table.slug}?deleted=1`)
    },
  )

  // Headers cannot carry CR, LF or NUL at all.
  it.each(HOSTILE.filter(([, target]) => !hasControlCharacters(target.replace('\t', ''))))(
    'in the Referer of a signed-out form (%s) is not where sign-in returns',
    async (_name, target) => {
      const table = await birdTable(t, ownerId, `Referer ${Math.random().toString(36).slice(2)}`)
      const browser = new Browser('http://localhost', (request) => t.app.request(request))
      await browser.get('/')
      const res = await browser.post(
        `/owner/tables/${table.slug}/delete-rows`,
        { ids: '1' },
        { referer: target.startsWith('/') ? `http://localhost${target}` : target },
      )
      expect(res.status).toBe(303)
      expectLocal(res.headers.get('location'))
      const next = new URL(res.headers.get('location') ?? '', 'http://localhost').searchParams.get(
        'next',
      )
      expectLocal(next)
    },
  )

  it('keeps a good back address with its search, and a good Referer', async () => {
    const table = await birdTable(t, ownerId, 'Good Back')
    const { browser } = await signedInBrowser(t, 'owner')
    await browser.get(`/owner/tables/${table.slug}`)
    const res = await browser.post(`/owner/tables/${table.slug}/delete-rows`, {
      ids: '1',
      back: `/owner/tables/${table.slug}?search=wren&deleted=9`,
    })
    expect(res.headers.get('location')).toBe(`/owner/tables/${table.slug}?search=wren&deleted=1`)
  })
})
