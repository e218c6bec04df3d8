import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { anonymousBrowser, createTestApp, signedInBrowser, type TestApp } from '../test/app.js'
import type { Browser } from '../test/browser.js'
import { birdTable } from '../test/tables.js'

let t: TestApp
let alice: Browser
let aliceId: number
let bob: Browser
beforeAll(async () => {
  t = await createTestApp()
  ;({
    browser: alice,
    user: { id: aliceId },
  } = await signedInBrowser(t, 'alice'))
  ;({ browser: bob } = await signedInBrowser(t, 'bob'))
})
afterAll(() => t.database.close())

async function rename(from: string, to: string, visibility: 'public' | 'private') {
  await alice.get(`/alice/tables/${from}/settings`)
  const res = await alice.post(`/alice/tables/${from}/settings`, { name: to, visibility })
  expect(res.status).toBe(303)
}

describe('the old address of a renamed table', () => {
  const oldAddresses = (old: string) => [
    `/alice/tables/${old}`,
    `/alice/tables/${old}/1`,
    `/alice/tables/${old}/1?format=json`,
    `/alice/tables/${old}/export.csv`,
    `/alice/tables/${old}/settings`,
  ]

  it('answers 404 to anyone who cannot see the private table, without its new name', async () => {
    await birdTable(t, aliceId, 'Quiet Nests')
    await rename('quiet-nests', 'Hidden Nests', 'private')
    for (const browser of [bob, anonymousBrowser(t)]) {
      for (const path of oldAddresses('quiet-nests')) {
        const res = await browser.request(path)
        expect(res.status, path).toBe(404)
        const body = await res.text()
        expect(body).not.toContain('hidden-nests')
        expect(body).not.toContain('Hidden Nests')
      }
    }
  })

  it('still redirects the owner of the private table, keeping the rest of the address', async () => {
    await birdTable(t, aliceId, 'Owl Boxes')
    await rename('owl-boxes', 'Barn Owl Boxes', 'private')
    const res = await alice.request('/alice/tables/owl-boxes/1?format=json')
    expect(res.status).toBe(301)
    expect(res.headers.get('location')).toBe('/alice/tables/barn-owl-boxes/1?format=json')
  })

  it('follows the visibility as it changes later', async () => {
    await birdTable(t, aliceId, 'Bat Roosts')
    await rename('bat-roosts', 'Bat Colonies', 'public')
    expect((await bob.request('/alice/tables/bat-roosts')).status).toBe(301)
    await rename('bat-colonies', 'Bat Colonies', 'private')
    expect((await bob.request('/alice/tables/bat-roosts')).status).toBe(404)
    await rename('bat-colonies', 'Bat Colonies', 'public')
    const res = await bob.request('/alice/tables/bat-roosts/2')
    expect(res.status).toBe(301)
    expect(res.headers.get('location')).toBe('/alice/tables/bat-colonies/2')
  })

  it('redirects to the owner’s own spelling of the username', async () => {
    await birdTable(t, aliceId, 'Ponds')
    await rename('ponds', 'Garden Ponds', 'public')
    const res = await bob.request('/ALICE/tables/ponds?page=2')
    expect(res.headers.get('location')).toBe('/alice/tables/garden-ponds?page=2')
  })
})

describe('names in the address that nobody can have', () => {
  it.each([
    ['a NUL as the username', '/%00'],
    ['a NUL in the username of a table', '/%00/tables/birds'],
    ['a NUL as the table', '/alice/tables/%00'],
    ['a NUL in a row address', '/alice/tables/%00/1'],
    ['a lone surrogate as the username', '/%ED%A0%80'],
    ['a control character in the username', '/ali%1Bce'],
    ['a very long username', `/${'a'.repeat(5000)}`],
    ['a very long table', `/alice/tables/${'a'.repeat(5000)}`],
  ])('answers %s with a 404 page', async (_name, path) => {
    const res = await bob.request(path)
    expect(res.status).toBe(404)
    expect(await res.text()).toContain('does not exist')
  })

  it('ends no session for a key with a NUL in it', async () => {
    const { browser } = await signedInBrowser(t, 'carol')
    await browser.get('/settings')
    const res = await browser.post('/settings/sessions/%00/end')
    expect(res.status).toBe(303)
    expect(res.headers.get('location')).toBe('/settings')
    expect((await browser.get('/settings')).res.status).toBe(200)
  })
})
