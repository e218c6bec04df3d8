import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createSession, generateSessionToken, hashToken } from '../../auth/sessions.js'
import { anonymousBrowser, createTestApp, signedInBrowser, type TestApp } from '../../test/app.js'
import { describeDevice } from './settings.js'

let t: TestApp
beforeAll(async () => {
  t = await createTestApp()
})
afterAll(() => t.database.close())

const FIREFOX_WINDOWS =
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:140.0) Gecko/20100101 Firefox/140.0'

// Another browser the user is signed in on, straight in the database.
async function otherSession(userId: number, userAgent = FIREFOX_WINDOWS) {
  const token = generateSessionToken()
  const session = await createSession(t.database.db, token, userId, userAgent)
  return { token, key: session.key }
}

const sessionRow = (key: string) =>
  t.database.db
    .selectFrom('sessions')
    .select(['id', 'user_id'])
    .where('key', '=', key)
    .executeTakeFirst()

// The list items of the sessions list, as their visible text.
const sessionItems = (html: string) =>
  [...html.matchAll(/<li class="list__item">([\s\S]*?)<\/li>/g)].map((m) =>
    (m[1] ?? '')
      .replace(/<[^>]+>/g, ' ')
      .replace(/\s+/g, ' ')
      .trim(),
  )

describe('the settings page', () => {
  it('sends a signed-out visitor to sign in, then back', async () => {
    const res = await anonymousBrowser(t).request('/settings')
    expect(res.status).toBe(303)
    const location = new URL(res.headers.get('location') ?? '', 'http://localhost')
    expect(location.pathname).toBe('/auth/login')
    expect(location.searchParams.get('next')).toBe('/settings')
  })

  it('lists the user’s sessions by device and marks this browser', async () => {
    const { browser, user } = await signedInBrowser(t, 'lister')
    await otherSession(user.id)
    await signedInBrowser(t, 'someone-else')
    const { res, html } = await browser.get('/settings')
    expect(res.status).toBe(200)
    const items = sessionItems(html)
    expect(items).toHaveLength(2)
    const current = items.find((item) => item.includes('This browser'))
    expect(current).toMatch(
      /^Chrome on Linux This browser Last seen .+ UTC · signed in .+ UTC Sign out$/,
    )
    expect(items.find((item) => item !== current)).toMatch(
      /^Firefox on Windows Last seen .*End session$/,
    )
  })
})

describe('ending a session', () => {
  it('ends another of the user’s sessions and comes back to settings', async () => {
    const { browser, user } = await signedInBrowser(t, 'ender')
    const other = await otherSession(user.id)
    await browser.get('/settings')
    const res = await browser.post(`/settings/sessions/${other.key}/end`)
    expect(res.status).toBe(303)
    expect(res.headers.get('location')).toBe('/settings')
    expect(await sessionRow(other.key)).toBeUndefined()
    const { html } = await browser.get('/settings')
    expect(html).not.toContain('Firefox on Windows')
    expect(html).toContain('This browser')
  })

  it('signs out when the session ended is this browser’s', async () => {
    const { browser, user } = await signedInBrowser(t, 'self-ender')
    const token = browser.cookies.get('session') ?? ''
    const current = await t.database.db
      .selectFrom('sessions')
      .select('key')
      .where('id', '=', hashToken(token))
      .executeTakeFirstOrThrow()
    const other = await otherSession(user.id)
    await browser.get('/settings')
    const res = await browser.post(`/settings/sessions/${current.key}/end`)
    expect(res.status).toBe(303)
    expect(res.headers.get('location')).toBe('/')
    // The session middleware refreshes the cookie first; the last Set-Cookie, which wins, clears it.
    const sessionCookies = res.headers.getSetCookie().filter((c) => c.startsWith('session='))
    expect(sessionCookies.at(-1)).toMatch(/^session=; Max-Age=0/)
    expect(browser.cookies.has('session')).toBe(false)
    expect(await sessionRow(current.key)).toBeUndefined()
    // Only this browser: the other session goes on.
    expect(await sessionRow(other.key)).toBeDefined()
    const { html } = await browser.get('/')
    expect(html).toContain('Sign in with GitHub')
  })

  it('leaves another user’s session in place', async () => {
    const victim = await signedInBrowser(t, 'settings-victim')
    const victimSession = await otherSession(victim.user.id)
    const { browser } = await signedInBrowser(t, 'settings-attacker')
    await browser.get('/settings')
    const res = await browser.post(`/settings/sessions/${victimSession.key}/end`)
    expect(res.status).toBe(303)
    expect(res.headers.get('location')).toBe('/settings')
    expect(await sessionRow(victimSession.key)).toMatchObject({ user_id: victim.user.id })
    // The attacker is still signed in and sees only their own session.
    const { html } = await browser.get('/settings')
    expect(sessionItems(html)).toHaveLength(1)
  })

  it('does nothing for an unknown key', async () => {
    const { browser } = await signedInBrowser(t, 'unknown-key')
    await browser.get('/settings')
    const res = await browser.post('/settings/sessions/no-such-key/end')
    expect(res.headers.get('location')).toBe('/settings')
    const { html } = await browser.get('/settings')
    expect(html).toContain('This browser')
  })
})

describe('describeDevice', () => {
  it.each([
    [
      'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 Chrome/126.0 Safari/537.36',
      'Chrome on Linux',
    ],
    [
      'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 Chrome/126.0 Safari/537.36 Edg/126.0',
      'Edge on Windows',
    ],
    [FIREFOX_WINDOWS, 'Firefox on Windows'],
    [
      'Mozilla/5.0 (Macintosh; Intel Mac OS X 14_5) AppleWebKit/605.1.15 Version/17.5 Safari/605.1.15',
      'Safari on macOS',
    ],
    [
      'Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 Version/17.5 Mobile/15E148 Safari/604.1',
      'Safari on iOS',
    ],
    [
      'Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 Chrome/126.0 Mobile Safari/537.36',
      'Chrome on Android',
    ],
    ['Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0', 'Firefox on Linux'],
    ['Mozilla/5.0 (Windows NT 10.0; Win64; x64)', 'Windows'],
    ['Mozilla/5.0 (X11; Linux x86_64) Chrome/156.0', 'Chrome on Linux'],
    ['Firefox/128.0', 'Firefox'],
    ['curl/8.5.0', 'curl/8.5.0'],
    [`bot/${'x'.repeat(100)}`, `bot/${'x'.repeat(56)}`],
    ['', 'Unknown device'],
  ])('names %j as %j', (userAgent, expected) => {
    expect(describeDevice(userAgent)).toBe(expected)
  })
})
