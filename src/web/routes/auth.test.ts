import type { AddressInfo } from 'node:net'
import { serve } from '@hono/node-server'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { MOCK_CLIENT_ID, MOCK_CLIENT_SECRET } from '../../auth/mock-github.js'
import { sign } from '../../auth/signed.js'
import { createTestApp, type TestApp } from '../../test/app.js'
import { Browser } from '../../test/browser.js'

// A real server: the app reaches the mock GitHub's token and user endpoints over HTTP.
let t: TestApp
let server: ReturnType<typeof serve>
let base: string
beforeAll(async () => {
  t = await createTestApp()
  await new Promise<void>((resolve) => {
    server = serve({ fetch: t.app.fetch, port: 0, hostname: '127.0.0.1' }, () => resolve())
  })
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
})
afterAll(async () => {
  await new Promise((resolve) => server.close(resolve))
  await t.database.close()
})

const count = async (table: 'users' | 'sessions') =>
  Number(
    (
      await t.database.db
        .selectFrom(table)
        .select((eb) => eb.fn.countAll().as('n'))
        .executeTakeFirstOrThrow()
    ).n,
  )

// Starts a sign-in and follows it to the mock GitHub's authorize page.
async function startSignIn(browser: Browser, next = '/') {
  await browser.get('/')
  const login = await browser.post('/auth/login', { next })
  expect(login.status).toBe(303)
  const authorize = new URL(login.headers.get('location') ?? '')
  expect(authorize.pathname).toBe('/mock-github/login/oauth/authorize')
  const page = await browser.get(authorize.pathname + authorize.search)
  expect(page.html).toContain('Authorize HostedAPI')
  return authorize.searchParams
}

async function authorize(
  browser: Browser,
  params: URLSearchParams,
  fields: Record<string, string>,
) {
  const res = await browser.post('/mock-github/login/oauth/authorize', {
    redirect_uri: params.get('redirect_uri') ?? '',
    state: params.get('state') ?? '',
    decision: 'allow',
    ...fields,
  })
  expect(res.status).toBe(302)
  return new URL(res.headers.get('location') ?? '')
}

async function signIn(browser: Browser, fields: Record<string, string>, next = '/') {
  const params = await startSignIn(browser, next)
  const callback = await authorize(browser, params, fields)
  return browser.request(callback.pathname + callback.search)
}

describe('signing in through the mock GitHub', () => {
  it('goes authorize → callback → session cookie → profile with avatar and name', async () => {
    const browser = new Browser(base)
    const res = await signIn(browser, { login: 'alice', name: 'Alice Liddell' })
    expect(res.status).toBe(303)
    expect(res.headers.get('location')).toBe('/alice')
    const cookie = res.headers.getSetCookie().find((c) => c.startsWith('session='))
    expect(cookie).toMatch(/HttpOnly/)
    expect(cookie).toMatch(/SameSite=Lax/)
    const token = browser.cookies.get('session') ?? ''
    // Only the token's hash is stored.
    const stored = await t.database.db.selectFrom('sessions').select('id').execute()
    expect(stored.map((s) => s.id)).not.toContain(token)
    const { html } = await browser.get('/alice')
    expect(html).toContain('<h1>Alice Liddell</h1>')
    expect(html).toContain('/mock-github/avatars/alice.svg')
    expect(html).toContain('Your profile')
    expect(html).toContain('Sign out')
  })

  it('returns to the page the sign-in started from', async () => {
    const browser = new Browser(base)
    const res = await signIn(browser, { login: 'bob' }, '/demo')
    expect(res.headers.get('location')).toBe('/demo')
  })

  it('updates a changed GitHub login on the next sign-in', async () => {
    await signIn(new Browser(base), { login: 'oldname', github_id: '4242' })
    await signIn(new Browser(base), { login: 'newname', github_id: '4242' })
    const users = await t.database.db
      .selectFrom('users')
      .select('username')
      .where('github_id', '=', 4242)
      .execute()
    expect(users).toEqual([{ username: 'newname' }])
  })

  it('gives a reserved login a free username instead', async () => {
    const res = await signIn(new Browser(base), { login: 'settings' })
    expect(res.headers.get('location')).toBe('/settings-2')
  })

  it('signs out at once', async () => {
    const browser = new Browser(base)
    await signIn(browser, { login: 'carol' })
    const sessions = await count('sessions')
    await browser.get('/')
    const res = await browser.post('/auth/logout')
    expect(res.status).toBe(303)
    expect(await count('sessions')).toBe(sessions - 1)
    const { html } = await browser.get('/')
    expect(html).toContain('Sign in with GitHub')
  })
})

describe('a failed sign-in', () => {
  async function expectRestart(res: Response) {
    expect(res.status).toBe(400)
    const html = await res.text()
    expect(html).toContain('Please restart the sign-in')
    expect(html).toContain('Try again')
  }

  it.each([
    ['a missing state', (q: URLSearchParams) => q.delete('state')],
    ['a wrong state', (q: URLSearchParams) => q.set('state', 'forged')],
    ['a bad code', (q: URLSearchParams) => q.set('code', 'not-a-real-code')],
    ['no code', (q: URLSearchParams) => q.delete('code')],
  ])('answers 400 and creates nothing for %s', async (_name, tamper) => {
    const browser = new Browser(base)
    const params = await startSignIn(browser)
    const callback = await authorize(browser, params, { login: 'mallory' })
    const users = await count('users')
    const sessions = await count('sessions')
    tamper(callback.searchParams)
    await expectRestart(await browser.request(callback.pathname + callback.search))
    expect(await count('users')).toBe(users)
    expect(await count('sessions')).toBe(sessions)
  })

  it('answers 400 when the user denies access', async () => {
    const browser = new Browser(base)
    const params = await startSignIn(browser)
    const res = await browser.post('/mock-github/login/oauth/authorize', {
      redirect_uri: params.get('redirect_uri') ?? '',
      state: params.get('state') ?? '',
      decision: 'deny',
    })
    const callback = new URL(res.headers.get('location') ?? '')
    expect(callback.searchParams.get('error')).toBe('access_denied')
    await expectRestart(await browser.request(callback.pathname + callback.search))
  })

  it('re-renders the mock authorize page for a bad login', async () => {
    const browser = new Browser(base)
    const params = await startSignIn(browser)
    const res = await browser.post('/mock-github/login/oauth/authorize', {
      redirect_uri: params.get('redirect_uri') ?? '',
      state: params.get('state') ?? '',
      login: 'not a login!',
    })
    expect(res.status).toBe(400)
    expect(await res.text()).toContain('A GitHub login is 1–39 letters')
  })
})

describe('the mock GitHub', () => {
  it('answers like GitHub to bad client credentials, bad codes and bad tokens', async () => {
    const token = await fetch(`${base}/mock-github/login/oauth/access_token`, {
      method: 'POST',
      headers: {
        authorization: `Basic ${Buffer.from('x:y').toString('base64')}`,
        accept: 'application/json',
      },
      body: new URLSearchParams({ code: 'abc' }),
    })
    expect(await token.json()).toMatchObject({ error: 'incorrect_client_credentials' })
    const user = await fetch(`${base}/mock-github/api/user`, {
      headers: { authorization: 'Bearer nope' },
    })
    expect(user.status).toBe(401)
    expect(await user.json()).toMatchObject({ message: 'Bad credentials' })
  })

  it('refuses an authorize request without its client id', async () => {
    expect((await fetch(`${base}/mock-github/login/oauth/authorize`)).status).toBe(400)
  })

  it('draws avatars', async () => {
    const res = await fetch(`${base}/mock-github/avatars/alice.svg`)
    expect(res.headers.get('content-type')).toBe('image/svg+xml')
    expect(await res.text()).toContain('>A</text>')
  })
})

describe('where a sign-in leads', () => {
  // The page's own form (the header has a sign-in form too).
  const hiddenNext = (html: string) =>
    /<section[\s\S]*name="next" value="([^"]*)"/.exec(html)?.[1] ?? null

  it.each([
    ['/demo?page=2', '/demo?page=2'],
    ['//evil.example/x', '/'],
    ['/\\evil.example', '/'],
    ['https://evil.example', '/'],
  ])('offers a signed-out visitor to sign in and come back to %j → %j', async (next, kept) => {
    const { res, html } = await new Browser(base).get(
      `/auth/login?${new URLSearchParams({ next })}`,
    )
    expect(res.status).toBe(200)
    expect(html).toContain('Sign in with GitHub')
    expect(hiddenNext(html)?.replaceAll('&amp;', '&')).toBe(kept)
  })

  it('sends a visitor who is already signed in straight on, but never off the site', async () => {
    const browser = new Browser(base)
    await signIn(browser, { login: 'erin' })
    const onwards = await browser.request('/auth/login?next=/demo')
    expect(onwards.status).toBe(302)
    expect(onwards.headers.get('location')).toBe('/demo')
    const away = await browser.request('/auth/login?next=//evil.example')
    expect(away.headers.get('location')).toBe('/')
  })

  it.each(['//evil.example', '/\\evil.example', 'https://evil.example'])(
    'lands on the profile, not at %j',
    async (next) => {
      const res = await signIn(new Browser(base), { login: 'frank' }, next)
      expect(res.headers.get('location')).toBe('/frank')
    },
  )

  it('lands on the profile when the sign-in form sent no next page', async () => {
    const browser = new Browser(base)
    await browser.get('/')
    const login = await browser.request('/auth/login', {
      method: 'POST',
      body: new URLSearchParams({ _csrf: browser.csrfToken }),
      headers: { 'content-type': 'application/x-www-form-urlencoded', origin: base },
    })
    const params = new URL(login.headers.get('location') ?? '').searchParams
    await browser.get(`/mock-github/login/oauth/authorize?${params}`)
    const callback = await authorize(browser, params, { login: 'grace' })
    const res = await browser.request(callback.pathname + callback.search)
    expect(res.headers.get('location')).toBe('/grace')
  })
})

describe('the mock GitHub refuses', () => {
  const token = (fields: Record<string, string>) =>
    fetch(`${base}/mock-github/login/oauth/access_token`, {
      method: 'POST',
      headers: {
        authorization: `Basic ${Buffer.from(`${MOCK_CLIENT_ID}:${MOCK_CLIENT_SECRET}`).toString('base64')}`,
        accept: 'application/json',
      },
      body: new URLSearchParams(fields),
    }).then((res) => res.json())

  it('an authorize answer without its redirect_uri', async () => {
    const browser = new Browser(base)
    await browser.get('/')
    const res = await browser.post('/mock-github/login/oauth/authorize', { login: 'heidi' })
    expect(res.status).toBe(400)
    expect(await res.text()).toBe('redirect_uri is missing or wrong.')
  })

  it('to swap a code for a token at another redirect_uri, or without a code', async () => {
    const browser = new Browser(base)
    const callback = await authorize(browser, await startSignIn(browser), { login: 'ivan' })
    const code = callback.searchParams.get('code') ?? ''
    expect(await token({ code, redirect_uri: 'http://elsewhere.example/cb' })).toMatchObject({
      error: 'redirect_uri_mismatch',
    })
    expect(await token({})).toMatchObject({ error: 'bad_verification_code' })
    // A code the mock signed but without an expiry counts as expired.
    const grant = { kind: 'code', id: 1, login: 'ivan', name: null, redirectUri: `${base}/cb` }
    const timeless = sign(`mock-github:${t.config.secretKey}`, grant)
    expect(await token({ code: timeless })).toMatchObject({ error: 'bad_verification_code' })
    expect(await token({ code })).toMatchObject({ token_type: 'bearer' })
  })

  it('an authorize answer without a login, showing the form again', async () => {
    const browser = new Browser(base)
    const params = await startSignIn(browser)
    const res = await browser.post('/mock-github/login/oauth/authorize', {
      redirect_uri: params.get('redirect_uri') ?? '',
    })
    expect(res.status).toBe(400)
    expect(await res.text()).toContain('A GitHub login is 1–39 letters')
  })

  it('nothing when the authorize page is opened without a state or scope', async () => {
    const query = new URLSearchParams({ client_id: MOCK_CLIENT_ID, redirect_uri: `${base}/cb` })
    const { res, html } = await new Browser(base).get(`/mock-github/login/oauth/authorize?${query}`)
    expect(res.status).toBe(200)
    expect(html).toContain('name="state" value=""')
  })

  it('a user request without a token', async () => {
    const res = await fetch(`${base}/mock-github/api/user`)
    expect(res.status).toBe(401)
  })
})
