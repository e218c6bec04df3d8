import type { AddressInfo } from 'node:net'
import { serve } from '@hono/node-server'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { readConfig } from '../config.js'
import { createTestApp, type TestApp } from '../test/app.js'
import { Browser } from '../test/browser.js'
import { createApp } from './app.js'

// What Heroku gives a review app (HEROKU_PR_NUMBER, HEROKU_BRANCH) and what app.json's review
// environment adds; no GitHub credentials. The test database stands in for Heroku Postgres.
const REVIEW_APP = {
  NODE_ENV: 'production',
  SECRET_KEY: 'review-app-secret-key-0123456789abcdef',
  HEROKU_PR_NUMBER: '42',
  HEROKU_BRANCH: 'fix-sorting',
  ALLOW_PGLITE_IN_PRODUCTION: 'true',
}

let t: TestApp
let server: ReturnType<typeof serve>
let base: string
beforeAll(async () => {
  t = await createTestApp({ env: REVIEW_APP })
  await new Promise<void>((resolve) => {
    server = serve({ fetch: t.app.fetch, port: 0, hostname: '127.0.0.1' }, () => resolve())
  })
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
})
afterAll(async () => {
  await new Promise((resolve) => server.close(resolve))
  await t.database.close()
})

const BANNER =
  /Review app for pull request #42 \(branch <code>fix-sorting<\/code>\)\.\s+Sign-in goes through a mock GitHub/

describe('a Heroku review app', () => {
  it('lets a reviewer sign in through the mock GitHub and make a table, with a banner on every page', async () => {
    const browser = new Browser(base)
    const home = await browser.get('/')
    expect(home.html).toMatch(BANNER)
    const login = await browser.post('/auth/login', { next: '/' })
    const authorize = new URL(login.headers.get('location') ?? '')
    expect(authorize.pathname).toBe('/mock-github/login/oauth/authorize')
    const page = await browser.get(authorize.pathname + authorize.search)
    expect(page.html).toMatch(BANNER)
    const answer = await browser.post('/mock-github/login/oauth/authorize', {
      redirect_uri: authorize.searchParams.get('redirect_uri') ?? '',
      state: authorize.searchParams.get('state') ?? '',
      decision: 'allow',
      login: 'reviewer',
    })
    const callback = new URL(answer.headers.get('location') ?? '')
    const signedIn = await browser.request(callback.pathname + callback.search)
    expect(signedIn.status).toBe(303)
    // Production cookies: Secure and __Host- prefixed, even on a review app.
    expect(browser.cookies.has('__Host-session')).toBe(true)

    const form = await browser.get('/reviewer/tables/new')
    expect(form.res.status).toBe(200)
    expect(form.html).toMatch(BANNER)
    const created = await browser.post('/reviewer/tables/new', { name: 'Birds' })
    expect(created.status).toBe(303)
    const table = await browser.get('/reviewer/tables/birds')
    expect(table.res.status).toBe(200)
    expect(table.html).toMatch(BANNER)
  })

  it('shows a banner without the mock when the review app signs in through a real GitHub app', async () => {
    const config = readConfig({
      ...REVIEW_APP,
      GITHUB_CLIENT_ID: 'review-client',
      GITHUB_CLIENT_SECRET: 'review-secret',
    })
    const app = createApp({ config, database: t.database })
    const html = await (await app.request('/')).text()
    expect(html).toContain('Review app for pull request #42')
    expect(html).not.toContain('mock GitHub')
    expect((await app.request('/mock-github/login/oauth/authorize')).status).toBe(404)
  })

  it('is not what production proper looks like: no banner, and no mock GitHub', async () => {
    const { HEROKU_PR_NUMBER: _, HEROKU_BRANCH: __, ...production } = REVIEW_APP
    expect(() => readConfig({ ...production, MOCK_GITHUB: 'true' })).toThrow(
      'MOCK_GITHUB must not be true when NODE_ENV=production (only on a Heroku review app)',
    )
    const config = readConfig({ ...production, GITHUB_CLIENT_ID: 'id', GITHUB_CLIENT_SECRET: 's' })
    const app = createApp({ config, database: t.database })
    expect(await (await app.request('/')).text()).not.toContain('Review app')
    expect((await app.request('/mock-github/login/oauth/authorize')).status).toBe(404)
  })
})
