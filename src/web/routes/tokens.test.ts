import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createTable } from '../../datasource/tables.js'
import { anonymousBrowser, createTestApp, signedInBrowser, type TestApp } from '../../test/app.js'
import type { Browser } from '../../test/browser.js'

let t: TestApp
let alice: Browser
let aliceTableId: number
let bobTableId: number
beforeAll(async () => {
  t = await createTestApp()
  const signedIn = await signedInBrowser(t, 'alice')
  alice = signedIn.browser
  const bob = await signedInBrowser(t, 'bob')
  aliceTableId = (
    await createTable(t.database.db, { ownerId: signedIn.user.id, name: 'Pets', columns: [] })
  ).id
  bobTableId = (
    await createTable(t.database.db, { ownerId: bob.user.id, name: 'Bobs', columns: [] })
  ).id
})
afterAll(() => t.database.close())

// Posts the token form with repeated fields (scopes, tables) as a browser sends them.
async function makeToken(browser: Browser, fields: [string, string][]) {
  await browser.get('/settings/tokens')
  const body = new URLSearchParams([['_csrf', browser.csrfToken], ...fields])
  return browser.request('/settings/tokens', {
    method: 'POST',
    body,
    headers: { 'content-type': 'application/x-www-form-urlencoded', origin: 'http://localhost' },
  })
}

const apiUser = (token: string) =>
  t.app.request('http://localhost/api/v1/user', { headers: { authorization: `Bearer ${token}` } })

describe('the API tokens page', () => {
  it('sends a signed-out visitor to sign in', async () => {
    const res = await anonymousBrowser(t).request('/settings/tokens')
    expect(res.status).toBe(303)
    expect(res.headers.get('location')).toContain('/auth/login')
  })

  it('makes a token, shows it once, and the token works at once', async () => {
    const res = await makeToken(alice, [
      ['name', 'Dashboard'],
      ['scopes', 'read'],
      ['scopes', 'write'],
      ['tables', String(aliceTableId)],
      ['expiry', '30'],
    ])
    expect(res.status).toBe(303)
    const { html, res: page } = await alice.get('/settings/tokens')
    expect(page.headers.get('cache-control')).toBe('no-store')
    const token = /id="new-token">(hapi_[0-9A-Za-z]{43})</.exec(html)?.[1] ?? ''
    expect(token).not.toBe('')
    expect(html).toContain('Dashboard')
    expect(html).toContain('read, write')
    expect(html).toContain('Pets')
    expect((await alice.get('/settings/tokens')).html).not.toContain(token)
    const me = await apiUser(token)
    expect(await me.json()).toMatchObject({
      username: 'alice',
      via: 'token',
      scopes: ['read', 'write'],
      token: { name: 'Dashboard', tables: ['pets'] },
    })
  })

  it.each([
    [
      'no name',
      [
        ['scopes', 'read'],
        ['expiry', '90'],
      ],
      'Give the token a name',
    ],
    [
      'no scope',
      [
        ['name', 'x'],
        ['expiry', '90'],
      ],
      'Choose at least one scope',
    ],
    [
      'an unknown scope',
      [
        ['name', 'x'],
        ['scopes', 'admin'],
        ['expiry', '90'],
      ],
      'Unknown scope',
    ],
    [
      'an unknown expiry',
      [
        ['name', 'x'],
        ['scopes', 'read'],
        ['expiry', '7'],
      ],
      'Choose when the token expires',
    ],
    [
      'another user’s table',
      [
        ['name', 'x'],
        ['scopes', 'read'],
        ['expiry', '90'],
        ['tables', 'BOB'],
      ],
      'Choose among your own tables',
    ],
  ])(
    'refuses %s with a message beside the field, and makes nothing',
    async (_, fields, message) => {
      const before = await t.database.db.selectFrom('api_tokens').select('id').execute()
      const resolved = fields.map(([k, v]) => [k, v === 'BOB' ? String(bobTableId) : v]) as [
        string,
        string,
      ][]
      const res = await makeToken(alice, resolved)
      expect(res.status).toBe(400)
      expect(await res.text()).toContain(message)
      expect(await t.database.db.selectFrom('api_tokens').select('id').execute()).toHaveLength(
        before.length,
      )
    },
  )

  it('revokes a token: the next request with it is refused', async () => {
    await makeToken(alice, [
      ['name', 'Short-lived'],
      ['scopes', 'read'],
      ['expiry', 'never'],
    ])
    const { html } = await alice.get('/settings/tokens')
    const token = /id="new-token">(hapi_\w+)</.exec(html)?.[1] ?? ''
    const id = /\/settings\/tokens\/(\d+)\/revoke/.exec(html)?.[1]
    expect((await apiUser(token)).status).toBe(200)
    const res = await alice.post(`/settings/tokens/${id}/revoke`)
    expect(res.status).toBe(303)
    const refused = await apiUser(token)
    expect(refused.status).toBe(401)
    expect(refused.headers.get('content-type')).toContain('application/problem+json')
  })

  it('cannot revoke another user’s token', async () => {
    const bob = (await signedInBrowser(t, 'bob')).browser
    await makeToken(bob, [
      ['name', 'Bob’s'],
      ['scopes', 'read'],
      ['expiry', '90'],
    ])
    const { html } = await bob.get('/settings/tokens')
    const token = /id="new-token">(hapi_\w+)</.exec(html)?.[1] ?? ''
    const id = /\/settings\/tokens\/(\d+)\/revoke/.exec(html)?.[1]
    await alice.get('/settings/tokens')
    await alice.post(`/settings/tokens/${id}/revoke`)
    expect((await apiUser(token)).status).toBe(200)
  })
})
