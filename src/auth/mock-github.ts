// A mock GitHub inside the app (MOCK_GITHUB=true): authorize page, token and user endpoints with
// GitHub's JSON and error shapes. Codes and tokens are signed, so any worker process can check them.
import { createHash } from 'node:crypto'
import { Hono } from 'hono'
import { hasControlCharacters } from '../lib/text.js'
import type { AppEnv } from '../web/env.js'
import { renderPage } from '../web/render.js'
import { withQuery } from '../web/urls.js'
import { sign, verify } from './signed.js'

export const MOCK_CLIENT_ID = 'mock-client-id'
export const MOCK_CLIENT_SECRET = 'mock-client-secret'
export const MOCK_USERS = ['octocat', 'alice', 'bob', 'carol']
const CODE_TTL_MS = 10 * 60 * 1000
const DOCS =
  'https://docs.github.com/apps/oauth-apps/maintaining-oauth-apps/troubleshooting-oauth-app-access-token-request-errors'

interface MockGrant {
  kind: 'code' | 'token'
  id: number
  login: string
  name: string | null
  redirectUri?: string
  expires?: number
}

// GitHub ids are stable per account; the mock derives one from the login unless told otherwise.
export const mockGithubId = (login: string) =>
  Number.parseInt(createHash('sha256').update(login.toLowerCase()).digest('hex').slice(0, 7), 16)

const LOGIN_PATTERN = /^[a-z\d](?:[a-z\d]|-(?=[a-z\d])){0,38}$/i

function isWebAddress(value: string): boolean {
  if (value.length > 2048 || hasControlCharacters(value)) return false
  try {
    return ['http:', 'https:'].includes(new URL(value).protocol)
  } catch {
    return false
  }
}

export function createMockGithub(secret: string) {
  const mock = new Hono<AppEnv>()
  const key = `mock-github:${secret}`

  mock.get('/login/oauth/authorize', (c) => {
    const { client_id: clientId, redirect_uri: redirectUri, state, scope } = c.req.query()
    if (clientId !== MOCK_CLIENT_ID || !redirectUri) {
      return c.text('The client_id or redirect_uri is missing or wrong.', 400)
    }
    return renderPage(c, 'mock-github', {
      title: 'Sign in to the mock GitHub',
      users: MOCK_USERS,
      redirectUri,
      state: state ?? '',
      scope: scope ?? '',
      error: null as string | null,
      login: '',
    })
  })

  // The browser's answer on the authorize page: a login to be, or a refusal.
  mock.post('/login/oauth/authorize', async (c) => {
    const form = await c.req.parseBody()
    const redirectUri = String(form.redirect_uri ?? '')
    const state = String(form.state ?? '')
    // GitHub sends the browser only to an app's registered callback; the mock, only to a web address.
    if (!isWebAddress(redirectUri)) return c.text('redirect_uri is missing or wrong.', 400)
    if (form.decision === 'deny') {
      return c.redirect(
        withQuery(redirectUri, {
          error: 'access_denied',
          error_description: 'The user has denied your application access.',
          error_uri: `${DOCS}#access_denied`,
          state,
        }),
      )
    }
    const login = String(form.login ?? '').trim()
    if (!LOGIN_PATTERN.test(login)) {
      return renderPage(
        c,
        'mock-github',
        {
          title: 'Sign in to the mock GitHub',
          users: MOCK_USERS,
          redirectUri,
          state,
          scope: String(form.scope ?? ''),
          error: 'A GitHub login is 1–39 letters, digits or single hyphens.',
          login,
        },
        400,
      )
    }
    const id = /^\d{1,9}$/.test(String(form.github_id ?? ''))
      ? Number(form.github_id)
      : mockGithubId(login)
    const name = String(form.name ?? '').trim() || null
    const code = sign(key, {
      kind: 'code',
      id,
      login,
      name,
      redirectUri,
      expires: Date.now() + CODE_TTL_MS,
    } satisfies MockGrant)
    return c.redirect(withQuery(redirectUri, { code, state }))
  })

  mock.post('/login/oauth/access_token', async (c) => {
    const form = await c.req.parseBody()
    const basic = c.req.header('authorization')?.replace(/^Basic /, '') ?? ''
    const [clientId, clientSecret] = Buffer.from(basic, 'base64').toString('utf8').split(':')
    if (clientId !== MOCK_CLIENT_ID || clientSecret !== MOCK_CLIENT_SECRET) {
      return c.json({
        error: 'incorrect_client_credentials',
        error_description: 'The client_id and/or client_secret passed are incorrect.',
        error_uri: `${DOCS}#incorrect-client-credentials`,
      })
    }
    const grant = verify<MockGrant>(key, String(form.code ?? ''))
    if (grant?.kind !== 'code' || (grant.expires ?? 0) < Date.now()) {
      return c.json({
        error: 'bad_verification_code',
        error_description: 'The code passed is incorrect or expired.',
        error_uri: `${DOCS}#bad-verification-code`,
      })
    }
    if (form.redirect_uri && form.redirect_uri !== grant.redirectUri) {
      return c.json({
        error: 'redirect_uri_mismatch',
        error_description:
          'The redirect_uri MUST match the registered callback URL for this application.',
        error_uri: `${DOCS}#redirect-uri-mismatch`,
      })
    }
    const token = sign(key, {
      kind: 'token',
      id: grant.id,
      login: grant.login,
      name: grant.name,
    } satisfies MockGrant)
    return c.json({ access_token: token, token_type: 'bearer', scope: 'read:user' })
  })

  mock.get('/api/user', (c) => {
    const token = c.req.header('authorization')?.replace(/^(Bearer|token) /i, '') ?? ''
    const grant = verify<MockGrant>(key, token)
    if (grant?.kind !== 'token') {
      return c.json(
        {
          message: 'Bad credentials',
          documentation_url: 'https://docs.github.com/rest',
          status: '401',
        },
        401,
      )
    }
    const origin = new URL(c.req.url).origin
    return c.json({
      login: grant.login,
      id: grant.id,
      node_id: `U_mock${grant.id}`,
      avatar_url: `${origin}/mock-github/avatars/${encodeURIComponent(grant.login)}.svg`,
      html_url: `https://github.com/${grant.login}`,
      type: 'User',
      name: grant.name,
    })
  })

  mock.get('/avatars/:file{[A-Za-z0-9-]+\\.svg}', (c) => {
    const login = c.req.param('file').replace(/\.svg$/, '')
    const hue = mockGithubId(login) % 360
    const initial = login.charAt(0).toUpperCase()
    c.header('Content-Type', 'image/svg+xml')
    c.header('Cache-Control', 'public, max-age=86400')
    return c.body(
      `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 64 64"><rect width="64" height="64" fill="hsl(${hue} 55% 45%)"/><text x="32" y="42" font-family="system-ui,sans-serif" font-size="30" fill="#fff" text-anchor="middle">${initial}</text></svg>`,
    )
  })

  return mock
}
