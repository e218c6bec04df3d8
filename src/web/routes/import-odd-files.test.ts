import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createTable } from '../../datasource/tables.js'
import { createTestApp, signedInBrowser, type TestApp } from '../../test/app.js'
import type { Browser } from '../../test/browser.js'

let t: TestApp
let alice: Browser
beforeAll(async () => {
  t = await createTestApp()
  const signedIn = await signedInBrowser(t, 'alice')
  alice = signedIn.browser
  await createTable(t.database.db, {
    ownerId: signedIn.user.id,
    name: 'Birds',
    columns: [{ name: 'Name', type: 'text' }],
  })
})
afterAll(() => t.database.close())

// Uploads a file the way the upload page does, then opens the page it leads to.
async function upload(page: string, content: string) {
  await alice.get(page)
  const form = new FormData()
  form.append('file', new Blob([content], { type: 'text/csv' }), 'odd.csv')
  const token = encodeURIComponent(alice.csrfToken)
  const res = await alice.request(`${page}?_csrf=${token}`, {
    method: 'POST',
    body: form,
    headers: { origin: 'http://localhost' },
  })
  expect(res.status).toBe(303)
  return alice.get(res.headers.get('location') ?? '')
}

const wide = (width: number) =>
  `${Array.from({ length: width }, (_, i) => `c${i}`).join(',')}\n${'1,'.repeat(width - 1)}1\n`

describe('a file the import cannot read', () => {
  it.each([
    [
      'a quote never closed (10 bytes)',
      'id\n"open,x',
      'line 2: a quoted value has no closing quote',
    ],
    ['201 columns', wide(201), 'it has 201 columns, and a table can have at most 200'],
    ['1,600 columns', wide(1600), 'it has 1,600 columns, and a table can have at most 200'],
    ['10,000 columns', wide(10_000), 'it has 10,000 columns, and a table can have at most 200'],
  ])(
    'gets a 400 with a message on the review and matching pages: %s',
    async (_, content, reason) => {
      for (const page of ['/alice/tables/import', '/alice/tables/birds/import']) {
        const { res, html } = await upload(page, content)
        expect(res.status).toBe(400)
        expect(html).toContain(`This file cannot be imported: ${reason}`)
      }
    },
  )
})
