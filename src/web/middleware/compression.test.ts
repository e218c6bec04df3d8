import { brotliDecompressSync, gunzipSync } from 'node:zlib'
import { Hono } from 'hono'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createTestApp, type TestApp } from '../../test/app.js'
import { chooseEncoding, compression } from './compression.js'

const page = `<!doctype html><p>${'Hosted tables, every one also JSON. '.repeat(200)}</p>`

const decode = async (res: Response) => {
  const bytes = Buffer.from(await res.arrayBuffer())
  const encoding = res.headers.get('Content-Encoding')
  if (encoding === 'br') return brotliDecompressSync(bytes).toString()
  if (encoding === 'gzip') return gunzipSync(bytes).toString()
  return bytes.toString()
}

describe('chooseEncoding', () => {
  it.each([
    [undefined, null],
    ['', null],
    ['gzip, deflate, br, zstd', 'br'],
    ['gzip', 'gzip'],
    ['br;q=0.5, gzip', 'gzip'],
    ['br;q=0, gzip;q=0', null],
    ['identity', null],
    ['*', 'br'],
    ['*;q=0.1, gzip', 'gzip'],
    ['deflate', null],
    ['GZIP', 'gzip'],
  ])('picks %j → %s', (header, expected) => {
    expect(chooseEncoding(header)).toBe(expected)
  })
})

describe('compression', () => {
  const app = new Hono()
  app.use(compression())
  app.get('/page', (c) => c.html(page))
  app.get('/small', (c) => c.text('ok'.repeat(100), 200, { 'Content-Length': '200' }))
  app.get('/png', (c) => c.body(new Uint8Array(4096), 200, { 'Content-Type': 'image/png' }))
  app.get('/raw', (c) => c.html(page, 200, { 'Cache-Control': 'no-transform' }))
  app.get('/tagged', (c) => c.html(page, 200, { ETag: '"v1"' }))

  it.each(['br', 'gzip'])('sends HTML as %s when the client accepts it', async (encoding) => {
    const res = await app.request('/page', { headers: { 'Accept-Encoding': encoding } })
    expect(res.headers.get('Content-Encoding')).toBe(encoding)
    expect(res.headers.get('Content-Length')).toBeNull()
    expect(res.headers.get('Vary')).toBe('Accept-Encoding')
    expect(await decode(res)).toBe(page)
  })

  it.each([
    ['no Accept-Encoding', '/page', {}],
    ['a HEAD request', '/page', { 'Accept-Encoding': 'br' }, 'HEAD'],
    ['a body of a known length under 1 kB', '/small', { 'Accept-Encoding': 'br' }],
    ['an image', '/png', { 'Accept-Encoding': 'br' }],
    ['Cache-Control: no-transform', '/raw', { 'Accept-Encoding': 'br' }],
  ])('leaves the body as it is for %s', async (_, path, headers, method = 'GET') => {
    const res = await app.request(path, { headers, method })
    expect(res.headers.get('Content-Encoding')).toBeNull()
  })

  it('weakens an ETag, since the bytes sent are not the original ones', async () => {
    const res = await app.request('/tagged', { headers: { 'Accept-Encoding': 'gzip' } })
    expect(res.headers.get('ETag')).toBe('W/"v1"')
  })
})

describe('compression in the app', () => {
  let t: TestApp
  beforeAll(async () => {
    t = await createTestApp({ demo: true })
  })
  afterAll(() => t.database.close())
  const br = { 'Accept-Encoding': 'gzip, deflate, br' }

  it('compresses the dashboard, a table page as JSON and the stylesheet', async () => {
    const home = await t.app.request('/', { headers: br })
    expect(home.headers.get('Content-Encoding')).toBe('br')
    expect(await decode(home)).toContain('UK general election')
    const json = await t.app.request('/demo/tables/uk-general-election-2015?format=json', {
      headers: { 'Accept-Encoding': 'gzip' },
    })
    expect(json.headers.get('Content-Encoding')).toBe('gzip')
    expect(JSON.parse(await decode(json)).total).toBe(3971)
    const css = await t.app.request('/static/app.css', { headers: br })
    expect(css.headers.get('Content-Encoding')).toBe('br')
    expect(css.headers.get('Cache-Control')).toBe('public, max-age=3600')
    expect(css.headers.get('ETag')).toMatch(/^W\//)
    const again = await t.app.request('/static/app.css', {
      headers: { ...br, 'If-None-Match': css.headers.get('ETag') ?? '' },
    })
    expect(again.status).toBe(304)
  })

  it('compresses a streamed export as it goes, every row included', async () => {
    const res = await t.app.request('/demo/tables/uk-general-election-2015/export.csv', {
      headers: br,
    })
    expect(res.headers.get('Content-Encoding')).toBe('br')
    expect(res.headers.get('Content-Disposition')).toContain('uk-general-election-2015.csv')
    const csv = await decode(res)
    expect(csv.trimEnd().split('\n')).toHaveLength(3971 + 1)
  })
})
