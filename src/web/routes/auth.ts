// Sign-in with GitHub (or the mock), the OAuth callback, and sign-out.
import { randomBytes } from 'node:crypto'
import { type Context, Hono } from 'hono'
import { createGithubClient, REAL_GITHUB, SignInError } from '../../auth/github.js'
import { MOCK_CLIENT_ID, MOCK_CLIENT_SECRET } from '../../auth/mock-github.js'
import { createSession, generateSessionToken, invalidateSession } from '../../auth/sessions.js'
import { safeEqual } from '../../auth/signed.js'
import { upsertGithubUser } from '../../auth/users.js'
import { safeRedirectPath } from '../../lib/redirect.js'
import { clearCookie, readCookie, writeCookie } from '../cookies.js'
import type { AppEnv } from '../env.js'
import { readForm } from '../forms.js'
import { SESSION_COOKIE, SESSION_MAX_AGE } from '../middleware/session.js'
import { renderPage } from '../render.js'
import { absoluteUrl, origin, withQuery } from '../urls.js'

const STATE_COOKIE = 'oauth_state'
const NEXT_COOKIE = 'oauth_next'
const STATE_MAX_AGE = 10 * 60

export const authRoutes = new Hono<AppEnv>()

// Only paths on this site, so sign-in can never bounce the browser to another one.
const safeNext = (c: Context<AppEnv>, value: unknown) => safeRedirectPath(value, origin(c))

function githubClient(c: Context<AppEnv>) {
  const config = c.get('config')
  const redirectUri = absoluteUrl(c, '/auth/callback')
  if (config.mockGithub) {
    const base = `${origin(c)}/mock-github`
    return createGithubClient(
      { web: base, api: `${base}/api` },
      { clientId: MOCK_CLIENT_ID, clientSecret: MOCK_CLIENT_SECRET },
      redirectUri,
    )
  }
  return createGithubClient(
    REAL_GITHUB,
    { clientId: config.githubClientId ?? '', clientSecret: config.githubClientSecret ?? '' },
    redirectUri,
  )
}

// The page a signed-out writer is sent to; the button posts to /auth/login.
authRoutes.get('/login', (c) => {
  if (c.get('viewer')) return c.redirect(safeNext(c, c.req.query('next')))
  return renderPage(c, 'sign-in', { title: 'Sign in', next: safeNext(c, c.req.query('next')) })
})

authRoutes.post('/login', async (c) => {
  const { fields } = await readForm(c)
  const state = randomBytes(24).toString('base64url')
  writeCookie(c, STATE_COOKIE, state, STATE_MAX_AGE)
  writeCookie(c, NEXT_COOKIE, safeNext(c, fields.next), STATE_MAX_AGE)
  return c.redirect(githubClient(c).authorizationUrl(state).toString(), 303)
})

function restartSignIn(c: Context<AppEnv>, reason: string) {
  console.warn(`Sign-in refused: ${reason}`)
  clearCookie(c, STATE_COOKIE)
  return renderPage(c, 'sign-in-error', { title: 'Please restart the sign-in' }, 400)
}

authRoutes.get('/callback', async (c) => {
  const { code, state, error } = c.req.query()
  const expectedState = readCookie(c, STATE_COOKIE)
  if (!state || !expectedState || !safeEqual(state, expectedState))
    return restartSignIn(c, 'missing or wrong state')
  if (error) return restartSignIn(c, `GitHub said ${error}`)
  if (!code) return restartSignIn(c, 'no code')

  let githubUser: Awaited<ReturnType<ReturnType<typeof githubClient>['fetchUser']>>
  try {
    githubUser = await githubClient(c).fetchUser(code)
  } catch (err) {
    if (err instanceof SignInError) return restartSignIn(c, err.message)
    throw err
  }
  const db = c.get('database').db
  const user = await upsertGithubUser(db, githubUser)
  const token = generateSessionToken()
  await createSession(db, token, user.id, c.req.header('user-agent') ?? '')
  writeCookie(c, SESSION_COOKIE, token, SESSION_MAX_AGE)
  const next = safeNext(c, readCookie(c, NEXT_COOKIE))
  clearCookie(c, STATE_COOKIE)
  clearCookie(c, NEXT_COOKIE)
  return c.redirect(next === '/' ? withQuery(`/${encodeURIComponent(user.username)}`) : next, 303)
})

authRoutes.post('/logout', async (c) => {
  const sessionId = c.get('sessionId')
  if (sessionId) await invalidateSession(c.get('database').db, sessionId)
  clearCookie(c, SESSION_COOKIE)
  return c.redirect('/', 303)
})
