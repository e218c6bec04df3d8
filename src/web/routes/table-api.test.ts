import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createTable } from '../../datasource/tables.js'
import { createTestApp, signedInBrowser, type TestApp } from '../../test/app.js'
import type { Browser } from '../../test/browser.js'
import { sampleRow } from '../views/api-examples.js'

let t: TestApp
let browser: Browser
beforeAll(async () => {
  t = await createTestApp()
  const signedIn = await signedInBrowser(t, 'ada')
  browser = signedIn.browser
  const columns = [
    { name: 'Name', type: 'text' as const },
    { name: 'Kind', type: 'choice' as const, choices: ['bird', 'fish'] },
    { name: 'Photo', type: 'image' as const },
  ]
  await createTable(t.database.db, { ownerId: signedIn.user.id, name: 'Zoo', columns })
  await createTable(t.database.db, {
    ownerId: signedIn.user.id,
    name: 'Secret',
    isPublic: false,
    columns: [],
  })
})
afterAll(() => t.database.close())

const decode = (html: string) => html.replaceAll('&quot;', '"').replaceAll('&#39;', "'")

describe('the API tab and reference', () => {
  it('gives examples with the table’s real address and columns', async () => {
    const { res, html } = await browser.get('/ada/tables/zoo/api')
    expect(res.status).toBe(200)
    const text = decode(html)
    expect(text).toContain("curl 'http://localhost/api/v1/ada/tables/zoo/rows?limit=10'</code>")
    expect(text).toContain(`-d '{"name":"Example","kind":"bird","photo":null}'`)
    expect(text).toContain(`-d '{"name":"Example"}'`)
    expect(text).toContain('href="/api/docs?table=ada/zoo"')
  })

  it('says a private table needs a token to read, and patches nothing without columns', async () => {
    const { html } = await browser.get('/ada/tables/secret/api')
    const text = decode(html)
    expect(text).toContain('It is private')
    expect(text).toContain(`rows?limit=10' \\\n  -H "Authorization: Bearer $HOSTEDAPI_TOKEN"`)
    expect(text).toContain(`-d '{}'`)
  })

  it('gives a choice column without choices a null sample', () => {
    const table = { columns: [{ slug: 'kind', type: 'choice', choices: null }] }
    expect(sampleRow(table as never)).toEqual({ kind: null })
  })

  it.each([
    ['/api/docs', '/api/v1/openapi.json'],
    ['/api/docs?table=ada/zoo', '/api/v1/ada/tables/zoo/openapi.json'],
    ['/api/docs?table=ada', '/api/v1/openapi.json'],
  ])('serves the reference at %s over %s', async (path, spec) => {
    const { res, html } = await browser.get(path)
    expect(res.status).toBe(200)
    expect(html).toContain(spec)
  })

  it.each([
    ['swagger-ui.css', 200, 'text/css; charset=utf-8'],
    ['swagger-ui-bundle.js', 200, 'text/javascript; charset=utf-8'],
    ['other.js', 404, null],
  ])('serves the asset %s: %i', async (file, status, type) => {
    const res = await browser.request(`/api/docs/assets/${file}`)
    expect(res.status).toBe(status)
    if (type) expect(res.headers.get('content-type')).toBe(type)
    await res.arrayBuffer()
  })
})
