import type { AddressInfo } from 'node:net'
import { serve } from '@hono/node-server'
import { Hono } from 'hono'
import { HTTPException } from 'hono/http-exception'
import type { ContentfulStatusCode } from 'hono/utils/http-status'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { hashToken } from '../auth/sessions.js'
import { readConfig } from '../config.js'
import type { CsvRecord } from '../csv/index.js'
import { importNewTable } from '../datasource/import.js'
import { getRow } from '../datasource/rows.js'
import type { TableInfo } from '../datasource/types.js'
import {
  anonymousBrowser,
  createTestApp,
  signedInBrowser,
  type TestApp,
  tableCells,
} from '../test/app.js'
import { Browser } from '../test/browser.js'
import { createApp } from './app.js'
import type { AppEnv } from './env.js'
import { onError } from './errors.js'
import { createRenderer } from './render.js'

let t: TestApp
let alice: Browser
let aliceId: number
beforeAll(async () => {
  t = await createTestApp()
  ;({
    browser: alice,
    user: { id: aliceId },
  } = await signedInBrowser(t, 'alice'))
})
afterAll(() => t.database.close())

let tables = 0
async function birdTable(): Promise<TableInfo> {
  async function* rows(): AsyncGenerator<CsvRecord> {
    yield { line: 2, fields: ['Wren', '3'] }
    yield { line: 3, fields: ['Robin', '5'] }
    yield { line: 4, fields: ['Jay', '1'] }
  }
  const columns = [
    { name: 'Bird', type: 'text' as const },
    { name: 'Count', type: 'integer' as const },
  ]
  const name = `Birds ${++tables}`
  return (await importNewTable(t.database, { ownerId: aliceId, name, columns }, rows())).table
}
const appWith = (env: Record<string, string>) =>
  createApp({ config: readConfig({ NODE_ENV: 'test', ...env }), database: t.database })

// Errors from any route go through onError, even where the app's context was never set up.
function errorApp(env: Record<string, string> | null) {
  const app = new Hono<AppEnv>()
  const renderer = createRenderer({ cache: false })
  app.use(async (c, next) => {
    c.set('renderer', renderer)
    if (env) c.set('config', readConfig({ NODE_ENV: 'test', ...env }))
    await next()
  })
  app.get('/status/:status', (c) => {
    const status = Number(c.req.param('status')) as ContentfulStatusCode
    throw new HTTPException(status, { message: c.req.query('message') ?? '' })
  })
  app.get('/stackless', () => {
    const error = new Error('lost its stack')
    error.stack = undefined
    throw error
  })
  app.onError(onError)
  return app
}
const heading = (html: string) => /<h1>([^<]*)<\/h1>/.exec(html)?.[1] ?? null
const lead = (html: string) => /<p class="lead">([^<]*)<\/p>/.exec(html)?.[1] ?? null

describe('error pages', () => {
  it.each([
    [405, 'Method not allowed'],
    [413, 'Too large'],
    [418, 'Error'],
  ])('title a %i “%s”, and say so when the error has no message', async (status, title) => {
    const res = await errorApp(null).request(`http://localhost/status/${status}`)
    expect(res.status).toBe(status)
    const html = await res.text()
    expect(heading(html)).toBe(title)
    expect(lead(html)).toBe(title)
    expect(html).toContain('Sign in')
  })

  it('keep the message the error was raised with, in JSON too', async () => {
    const res = await errorApp(null).request(
      'http://localhost/status/413?message=The%20file%20is%20too%20big&format=json',
    )
    expect(res.status).toBe(413)
    expect(await res.json()).toEqual({
      type: 'about:blank',
      status: 413,
      title: 'Content Too Large',
      detail: 'The file is too big',
    })
  })

  it('show an unexpected error without a stack as its text under DEBUG=true', async () => {
    const res = await errorApp({ DEBUG: 'true' }).request('http://localhost/stackless')
    expect(res.status).toBe(500)
    const html = await res.text()
    expect(html).toContain('Stack trace (DEBUG=true)')
    expect(html).toContain('<pre>Error: lost its stack</pre>')
  })

  it('render a 500 with no stack when the app’s settings were never read', async () => {
    const res = await errorApp(null).request('http://localhost/stackless')
    expect(res.status).toBe(500)
    const html = await res.text()
    expect(html).toContain('Something went wrong on our side')
    expect(html).not.toContain('lost its stack')
  })
})

describe('a signed-out form post', () => {
  const deleteRows = (browser: Browser, table: TableInfo, referer?: string) =>
    browser.post(
      `/alice/tables/${table.slug}/delete-rows`,
      { ids: '1' },
      referer ? { referer } : {},
    )

  it('signs in, then goes back to the page the form was on', async () => {
    const table = await birdTable()
    const browser = anonymousBrowser(t)
    await browser.get(`/alice/tables/${table.slug}`)
    const res = await deleteRows(
      browser,
      table,
      `http://localhost/alice/tables/${table.slug}?search=wren`,
    )
    expect(res.status).toBe(303)
    expect(res.headers.get('location')).toBe(
      `/auth/login?${new URLSearchParams({ next: `/alice/tables/${table.slug}?search=wren` })}`,
    )
    expect(await getRow(t.database.db, table, 1)).not.toBeNull()
  })

  it.each([
    ['another site', 'https://evil.example/alice/tables/x'],
    ['no page', undefined],
  ])('signs in, then goes home when the form came from %s', async (_case, referer) => {
    const table = await birdTable()
    const browser = anonymousBrowser(t)
    await browser.get('/')
    const res = await deleteRows(browser, table, referer)
    expect(res.headers.get('location')).toBe('/auth/login?next=%2F')
    expect(await getRow(t.database.db, table, 1)).not.toBeNull()
  })
})

describe('a session cookie', () => {
  it.each([
    ['unknown', async () => 'not-a-session-token'],
    [
      'expired',
      async () => {
        const { browser } = await signedInBrowser(t, 'expiring')
        const token = browser.cookies.get('session') ?? ''
        await t.database.db
          .updateTable('sessions')
          .set({ expires_at: new Date(Date.now() - 1000) })
          .where('id', '=', hashToken(token))
          .execute()
        return token
      },
    ],
  ])('that is %s is cleared, and the visitor is signed out', async (_case, token) => {
    const browser = anonymousBrowser(t)
    browser.cookies.set('session', await token())
    const { res, html } = await browser.get('/')
    const cleared = res.headers.getSetCookie().find((line) => line.startsWith('session='))
    expect(cleared).toMatch(/^session=;.*Max-Age=0/)
    expect(browser.cookies.has('session')).toBe(false)
    expect(html).toContain('Sign in with GitHub')
    expect(html).not.toContain('Sign out')
  })
})

describe('repeated form fields', () => {
  const post = (path: string, body: string) =>
    alice.request(path, {
      method: 'POST',
      body: `_csrf=${encodeURIComponent(alice.csrfToken)}&${body}`,
      headers: { 'content-type': 'application/x-www-form-urlencoded', origin: 'http://localhost' },
    })

  it.each([
    ['ids=1&ids=3', 'ids repeated'],
    ['ids%5B%5D=1&ids%5B%5D=3', 'ids[] fields'],
  ])('delete every row checked (%s: %s)', async (body) => {
    const table = await birdTable()
    await alice.get(`/alice/tables/${table.slug}`)
    const res = await post(`/alice/tables/${table.slug}/delete-rows`, body)
    expect(res.headers.get('location')).toBe(`/alice/tables/${table.slug}?deleted=2`)
    const { html } = await alice.get(`/alice/tables/${table.slug}`)
    expect(tableCells(html).map((row) => row.slice(2))).toEqual([['Robin', '5']])
  })

  it.each([
    ['no row was checked', 'back='],
    ['the ids are not row numbers', 'ids=none&ids=-1'],
  ])('delete nothing when %s', async (_case, body) => {
    const table = await birdTable()
    await alice.get(`/alice/tables/${table.slug}`)
    const res = await post(`/alice/tables/${table.slug}/delete-rows`, body)
    expect(res.headers.get('location')).toBe(`/alice/tables/${table.slug}?deleted=0`)
    expect(tableCells((await alice.get(`/alice/tables/${table.slug}`)).html)).toHaveLength(3)
  })

  it('take the first value of a field sent twice', async () => {
    const table = await birdTable()
    await alice.get(`/alice/tables/${table.slug}/new`)
    const res = await post(`/alice/tables/${table.slug}/new`, 'bird=Kite&bird=Crow&count=2')
    expect(res.headers.get('location')).toBe(`/alice/tables/${table.slug}/4`)
    expect((await getRow(t.database.db, table, 4))?.cells).toEqual(['Kite', '2'])
  })

  it('ignore a file sent where a value was expected', async () => {
    const table = await birdTable()
    await alice.get(`/alice/tables/${table.slug}/new`)
    const form = new FormData()
    form.append('bird', new Blob(['Owl']), 'owl.txt')
    form.append('count', '7')
    const res = await alice.request(`/alice/tables/${table.slug}/new`, {
      method: 'POST',
      body: form,
      headers: { origin: 'http://localhost', 'x-csrf-token': alice.csrfToken },
    })
    expect(res.status).toBe(303)
    expect((await getRow(t.database.db, table, 4))?.cells).toEqual([null, '7'])
  })
})

describe('signing in with the real GitHub', () => {
  it('sends the browser to github.com with the configured client id', async () => {
    const app = appWith({
      MOCK_GITHUB: 'false',
      GITHUB_CLIENT_ID: 'Iv1.realclient',
      GITHUB_CLIENT_SECRET: 'real-secret',
    })
    const browser = new Browser('http://localhost', (request) => app.request(request))
    await browser.get('/')
    const res = await browser.post('/auth/login', { next: '/demo' })
    expect(res.status).toBe(303)
    const url = new URL(res.headers.get('location') ?? '')
    expect(`${url.origin}${url.pathname}`).toBe('https://github.com/login/oauth/authorize')
    expect(url.searchParams.get('client_id')).toBe('Iv1.realclient')
    expect(url.searchParams.get('redirect_uri')).toBe('http://localhost/auth/callback')
    expect(url.searchParams.get('state')).toMatch(/^[\w-]{32}$/)
    // There is no mock to sign in with.
    expect((await browser.request('/mock-github/login/oauth/authorize')).status).toBe(404)
  })
})

describe('signing in from a client that sends no User-Agent', () => {
  it('signs in, and lists the session as an unknown device', async () => {
    // The app swaps the code with the mock GitHub over HTTP, so it must really listen.
    const server = await new Promise<ReturnType<typeof serve>>((resolve) => {
      const listening = serve({ fetch: t.app.fetch, port: 0, hostname: '127.0.0.1' }, () =>
        resolve(listening),
      )
    })
    try {
      const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
      const browser = new Browser(base, (request) => t.app.request(request))
      await browser.get('/')
      const login = await browser.post('/auth/login', { next: '/settings' })
      const params = new URL(login.headers.get('location') ?? '').searchParams
      await browser.get(`/mock-github/login/oauth/authorize?${params}`)
      const allowed = await browser.post('/mock-github/login/oauth/authorize', {
        redirect_uri: params.get('redirect_uri') ?? '',
        state: params.get('state') ?? '',
        login: 'nobrowser',
      })
      const callback = new URL(allowed.headers.get('location') ?? '')
      const res = await browser.request(callback.pathname + callback.search)
      expect(res.headers.get('location')).toBe('/settings')
      const { html } = await browser.get('/settings')
      expect(html).toContain('Unknown device')
    } finally {
      await new Promise((resolve) => server.close(resolve))
    }
  })
})
