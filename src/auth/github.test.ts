import type { AddressInfo } from 'node:net'
import { serve } from '@hono/node-server'
import { Hono } from 'hono'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createGithubClient, type GithubEndpoints, SignInError } from './github.js'

// A fake GitHub whose answers are chosen by the code (token endpoint) or the token (user endpoint),
// so every test states its own scenario and none depends on another.
const fake = new Hono()
fake.post('/login/oauth/access_token', async (c) => {
  const form = await c.req.parseBody()
  const credentials = Buffer.from(
    c.req.header('authorization')?.replace(/^Basic /, '') ?? '',
    'base64',
  ).toString()
  if (credentials !== 'the-id:the-secret') return c.json({ error: 'incorrect_client_credentials' })
  switch (form.code) {
    case 'refused':
      return c.json({ error: 'bad_verification_code', error_description: 'expired' })
    case 'oauth-400':
      return c.json({ error: 'invalid_grant', error_description: 'nope' }, 400)
    case 'oauth-401':
      return c.json({ error: 'invalid_client' }, 401)
    case 'crash':
      return c.text('Internal Server Error', 500)
    case 'not-json':
      return c.html('<h1>Unicorn!</h1>')
    case 'no-token':
      return c.json({ token_type: 'bearer', scope: 'read:user' })
    default:
      return c.json({ access_token: `token-${form.code}`, token_type: 'bearer' })
  }
})
fake.get('/api/user', (c) => {
  switch (c.req.header('authorization')) {
    case 'Bearer token-ok':
      return c.json({ id: 42, login: 'octocat', name: 'The Octocat', avatar_url: 'https://a/1' })
    case 'Bearer token-blank-name':
      return c.json({ id: 7, login: 'anon', name: '', avatar_url: null })
    case 'Bearer token-no-id':
      return c.json({ login: 'octocat' })
    case 'Bearer token-no-login':
      return c.json({ id: 42, login: null })
    case 'Bearer token-html':
      return c.html('<h1>Unicorn!</h1>')
    default:
      return c.json({ message: 'Bad credentials' }, 401)
  }
})

let server: ReturnType<typeof serve>
let endpoints: GithubEndpoints
let closedOrigin: string

async function listen(fetch: (request: Request) => Response | Promise<Response>) {
  let started!: ReturnType<typeof serve>
  await new Promise<void>((resolve) => {
    started = serve({ fetch, port: 0, hostname: '127.0.0.1' }, () => resolve())
  })
  return { server: started, origin: `http://127.0.0.1:${(started.address() as AddressInfo).port}` }
}

beforeAll(async () => {
  const running = await listen(fake.fetch)
  server = running.server
  endpoints = { web: running.origin, api: `${running.origin}/api` }
  // A port that nothing listens on any more: connections to it are refused.
  const closed = await listen(() => new Response('gone'))
  closedOrigin = closed.origin
  await new Promise((resolve) => closed.server.close(resolve))
})
afterAll(() => new Promise((resolve) => server.close(resolve)))

const client = (overrides: Partial<GithubEndpoints> = {}) =>
  createGithubClient(
    { ...endpoints, ...overrides },
    { clientId: 'the-id', clientSecret: 'the-secret' },
    'https://app.example/auth/callback',
  )

async function signInError(promise: Promise<unknown>): Promise<SignInError> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  )
  expect(error).toBeInstanceOf(SignInError)
  return error as SignInError
}

describe('authorizationUrl', () => {
  it('sends the browser to GitHub with the client id, state, callback and read:user scope', () => {
    const url = client().authorizationUrl('the-state')
    expect(url.origin + url.pathname).toBe(`${endpoints.web}/login/oauth/authorize`)
    expect(url.searchParams.get('client_id')).toBe('the-id')
    expect(url.searchParams.get('state')).toBe('the-state')
    expect(url.searchParams.get('redirect_uri')).toBe('https://app.example/auth/callback')
    expect(url.searchParams.get('scope')).toBe('read:user')
    expect(url.searchParams.get('response_type')).toBe('code')
    expect(url.toString()).not.toContain('the-secret')
  })
})

describe('fetchUser', () => {
  it('maps GitHub’s user to ours', async () => {
    expect(await client().fetchUser('ok')).toEqual({
      id: 42,
      login: 'octocat',
      name: 'The Octocat',
      avatarUrl: 'https://a/1',
    })
  })

  it('turns an empty name and a missing avatar into null', async () => {
    expect(await client().fetchUser('blank-name')).toEqual({
      id: 7,
      login: 'anon',
      name: null,
      avatarUrl: null,
    })
  })

  it.each([
    [
      '200 with an OAuth error (a bad or expired code)',
      'refused',
      /refused the code: bad_verification_code/,
    ],
    ['400 with an OAuth error', 'oauth-400', /token request failed/],
    ['401 with an OAuth error', 'oauth-401', /token request failed/],
    ['a 500', 'crash', /token request failed/],
    ['a body that is not JSON', 'not-json', /token request failed/],
    ['no access_token', 'no-token', /unusable token/],
  ])('refuses a token endpoint answering %s', async (_name, code, message) => {
    const error = await signInError(client().fetchUser(code))
    expect(error.message).toMatch(message)
  })

  it('refuses when the client credentials are wrong', async () => {
    const wrong = createGithubClient(
      endpoints,
      { clientId: 'the-id', clientSecret: 'wrong' },
      'https://app.example/auth/callback',
    )
    const error = await signInError(wrong.fetchUser('ok'))
    expect(error.message).toMatch(/incorrect_client_credentials/)
  })

  it('refuses when the token endpoint cannot be reached', async () => {
    const error = await signInError(client({ web: closedOrigin }).fetchUser('ok'))
    expect(error.message).toMatch(/token request failed/)
  })

  it('refuses when the user endpoint answers 401', async () => {
    const error = await signInError(client().fetchUser('revoked'))
    expect(error.message).toBe('GitHub user request answered 401')
  })

  it('refuses when the user endpoint cannot be reached', async () => {
    const error = await signInError(client({ api: `${closedOrigin}/api` }).fetchUser('ok'))
    expect(error.message).toMatch(/^GitHub user request failed/)
  })

  it.each([
    ['without an id', 'no-id'],
    ['without a login', 'no-login'],
  ])('refuses a user %s', async (_name, code) => {
    const error = await signInError(client().fetchUser(code))
    expect(error.message).toBe('GitHub sent a user without an id or login')
  })

  // Known bug: github.ts parses the user response outside any try, so a non-JSON body escapes as
  // a SyntaxError (a 500 in the callback) instead of a SignInError. Remove `.fails` once fixed.
  it('refuses a user endpoint answering something other than JSON', async () => {
    await signInError(client().fetchUser('html'))
  })
})
