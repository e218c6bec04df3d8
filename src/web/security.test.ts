import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createSession, generateSessionToken, hashToken } from '../auth/sessions.js'
import { readConfig } from '../config.js'
import { anonymousBrowser, createTestApp, signedInBrowser, type TestApp } from '../test/app.js'
import { Browser } from '../test/browser.js'
import { createApp } from './app.js'

let t: TestApp
beforeAll(async () => {
  t = await createTestApp({ demo: true })
})
afterAll(() => t.database.close())

const PRODUCTION = {
  NODE_ENV: 'production',
  SECRET_KEY: 'a-production-secret-key-of-at-least-32-chars',
  GITHUB_CLIENT_ID: 'client-id',
  GITHUB_CLIENT_SECRET: 'client-secret',
  // The test database stands in for Heroku Postgres.
  ALLOW_PGLITE_IN_PRODUCTION: 'true',
}
// Another configuration of the app over the same database (as createTestApp would build it).
const appWith = (env: Record<string, string>) =>
  createApp({ config: readConfig({ NODE_ENV: 'test', ...env }), database: t.database })

const TABLE = '/demo/tables/uk-general-election-2017'

// Set-Cookie lines by cookie name.
function setCookies(res: Response): Map<string, string> {
  return new Map(res.headers.getSetCookie().map((line) => [line.split('=')[0] ?? '', line]))
}

const sessionExists = async (token: string) =>
  (await t.database.db
    .selectFrom('sessions')
    .select('id')
    .where('id', '=', hashToken(token))
    .executeTakeFirst()) !== undefined

describe('security headers', () => {
  it.each([
    ['a page', '/', 200],
    ['a 404 page', '/no/such/page', 404],
    ['a JSON response', `${TABLE}?format=json`, 200],
    ['a JSON error', '/demo/tables/nothing?format=json', 404],
    ['a static file', '/static/app.css', 200],
  ])('are on %s', async (_name, path, status) => {
    const res = await t.app.request(`http://localhost${path}`)
    expect(res.status).toBe(status)
    const csp = res.headers.get('content-security-policy') ?? ''
    const scriptSrc = csp.split(';').find((d) => d.trim().startsWith('script-src')) ?? ''
    expect(scriptSrc.trim()).toBe("script-src 'self'")
    expect(csp).not.toContain('unsafe-inline')
    expect(csp).toContain("frame-ancestors 'none'")
    expect(csp).toContain("object-src 'none'")
    expect(res.headers.get('x-frame-options')).toBe('DENY')
    expect(res.headers.get('referrer-policy')).toBe('strict-origin-when-cross-origin')
    expect(res.headers.get('x-content-type-options')).toBe('nosniff')
    expect(res.headers.get('strict-transport-security')).toBeNull()
  })

  it('are on a refused form post too', async () => {
    const res = await anonymousBrowser(t).post('/auth/logout', { _csrf: '' })
    expect(res.status).toBe(403)
    expect(res.headers.get('x-frame-options')).toBe('DENY')
  })
})

describe('cross-site request forgery', () => {
  it('lets a same-site form with its token through', async () => {
    const { browser } = await signedInBrowser(t, 'csrf-ok')
    const token = browser.cookies.get('session') ?? ''
    expect((await browser.post('/auth/logout')).status).toBe(303)
    expect(await sessionExists(token)).toBe(false)
  })

  it.each([
    ['from another origin', { origin: 'https://evil.example' }, {}],
    ['marked Sec-Fetch-Site: cross-site', { 'sec-fetch-site': 'cross-site' }, {}],
    ['without a _csrf token', {}, { _csrf: '' }],
    ['with a forged token', {}, { _csrf: 'forged' }],
  ])('refuses a sign-out %s and keeps the session', async (_name, headers, fields) => {
    const { browser } = await signedInBrowser(t, 'csrf-victim')
    const token = browser.cookies.get('session') ?? ''
    const res = await browser.post('/auth/logout', fields, headers)
    expect(res.status).toBe(403)
    expect(await res.text()).toContain('Not allowed')
    expect(await sessionExists(token)).toBe(true)
    const { html } = await browser.get('/')
    expect(html).toContain('Your profile')
  })

  it('refuses a form with no _csrf field at all', async () => {
    const { browser } = await signedInBrowser(t, 'csrf-missing')
    const res = await browser.request('/auth/logout', {
      method: 'POST',
      body: new URLSearchParams({ next: '/' }),
      headers: { 'content-type': 'application/x-www-form-urlencoded', origin: 'http://localhost' },
    })
    expect(res.status).toBe(403)
    expect(await sessionExists(browser.cookies.get('session') ?? '')).toBe(true)
  })

  it('refuses a token taken from another browser’s page', async () => {
    const attacker = anonymousBrowser(t)
    await attacker.get('/')
    const { browser } = await signedInBrowser(t, 'csrf-other')
    const res = await browser.post('/auth/logout', { _csrf: attacker.csrfToken })
    expect(res.status).toBe(403)
    expect(await res.text()).toContain('did not come from this site')
    expect(await sessionExists(browser.cookies.get('session') ?? '')).toBe(true)
  })

  it('accepts the token in an X-CSRF-Token header', async () => {
    const { browser } = await signedInBrowser(t, 'csrf-header')
    const res = await browser.request('/auth/logout', {
      method: 'POST',
      headers: { 'x-csrf-token': browser.csrfToken },
    })
    expect(res.status).toBe(303)
  })

  it('exempts the mock GitHub token endpoint, which servers call without cookies', async () => {
    const res = await t.app.request('http://localhost/mock-github/login/oauth/access_token', {
      method: 'POST',
      body: new URLSearchParams({ code: 'abc' }),
    })
    expect(res.status).toBe(200)
    expect(await res.json()).toMatchObject({ error: 'incorrect_client_credentials' })
  })
})

describe('cookies', () => {
  it('are HttpOnly, SameSite=Lax and not Secure over plain http', async () => {
    const { browser } = await signedInBrowser(t, 'cookie-plain')
    browser.cookies.delete('csrf')
    const { res } = await browser.get('/')
    const cookies = setCookies(res)
    for (const name of ['session', 'csrf']) {
      const line = cookies.get(name) ?? ''
      expect(line).toMatch(/; HttpOnly/)
      expect(line).toMatch(/; SameSite=Lax/)
      expect(line).toMatch(/; Path=\//)
      expect(line).not.toMatch(/Secure/)
    }
    expect(cookies.get('session')).toMatch(/Max-Age=\d{7}/)
    expect([...cookies.keys()].some((name) => name.startsWith('__Host-'))).toBe(false)
  })

  it('are __Host- and Secure behind a trusted https proxy', async () => {
    const res = await appWith({ TRUST_PROXY: 'true' }).request('http://localhost/', {
      headers: { 'x-forwarded-proto': 'https' },
    })
    const line = setCookies(res).get('__Host-csrf') ?? ''
    expect(line).toMatch(/; Secure/)
    expect(line).toMatch(/; Path=\//)
    expect(line).not.toMatch(/Domain=/)
  })

  it('ignore X-Forwarded-Proto from an untrusted proxy', async () => {
    const res = await t.app.request('http://localhost/', {
      headers: { 'x-forwarded-proto': 'https' },
    })
    expect([...setCookies(res).keys()]).toEqual(['csrf'])
  })

  it('are always __Host- and Secure in production, which also sends HSTS', async () => {
    const app = appWith(PRODUCTION)
    const user = await t.database.db
      .insertInto('users')
      .values({ username: 'cookie-prod', github_id: 777_001 })
      .returning('id')
      .executeTakeFirstOrThrow()
    const token = generateSessionToken()
    await createSession(t.database.db, token, user.id, 'test')
    const browser = new Browser('http://localhost', (request) => app.request(request))
    browser.cookies.set('__Host-session', token)
    const { res, html } = await browser.get('/')
    expect(html).toContain('Your profile')
    const cookies = setCookies(res)
    expect([...cookies.keys()].sort()).toEqual(['__Host-csrf', '__Host-session'])
    for (const line of cookies.values()) {
      expect(line).toMatch(/; Secure/)
      expect(line).toMatch(/; HttpOnly/)
    }
    expect(res.headers.get('strict-transport-security')).toBe('max-age=31536000; includeSubDomains')
  })
})

describe('absolute URLs in JSON', () => {
  const forwarded = { 'x-forwarded-proto': 'https', 'x-forwarded-host': 'tables.example.org' }

  it('use the forwarded scheme and host behind a trusted proxy', async () => {
    const res = await appWith({ TRUST_PROXY: 'true' }).request(
      `http://localhost${TABLE}?format=json`,
      { headers: forwarded },
    )
    const body = await res.json()
    expect(body.table.url).toBe(`https://tables.example.org${TABLE}`)
    expect(body.rows[0].url).toBe(`https://tables.example.org${TABLE}/1`)
    expect(body.links.next).toMatch(
      new RegExp(`^https://tables\\.example\\.org${TABLE}\\?page=2&after=`),
    )
  })

  it('keep the scheme the app saw when a trusted proxy forwards an unknown one', async () => {
    const res = await appWith({ TRUST_PROXY: 'true' }).request(
      `http://localhost${TABLE}?format=json`,
      { headers: { 'x-forwarded-proto': 'gopher', 'x-forwarded-host': 'tables.example.org' } },
    )
    expect((await res.json()).table.url).toBe(`http://tables.example.org${TABLE}`)
  })

  it('ignore forwarded headers when the proxy is not trusted', async () => {
    const res = await t.app.request(`http://localhost${TABLE}?format=json`, {
      headers: forwarded,
    })
    const body = await res.json()
    expect(body.table.url).toBe(`http://localhost${TABLE}`)
    expect(JSON.stringify(body)).not.toContain('tables.example.org')
  })
})
