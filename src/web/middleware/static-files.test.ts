import { statSync } from 'node:fs'
import { relative } from 'node:path'
import { Hono } from 'hono'
import { describe, expect, it } from 'vitest'
import { APP_ROOT, appPath } from '../../paths.js'
import { fileEtag, isNotModified, staticFiles } from './static-files.js'

const css = statSync(appPath('static/app.css'))
const etag = fileEtag(css.size, css.mtime)
const lastModified = css.mtime.toUTCString()

function staticApp(cacheControl = 'public, max-age=3600') {
  const app = new Hono()
  app.use(
    '/static/*',
    staticFiles({ root: relative(process.cwd(), APP_ROOT) || '.', cacheControl }),
  )
  app.get('/static/*', (c) => c.text('not a file', 404))
  return app
}

describe('static files', () => {
  it('are sent with Cache-Control, an ETag and Last-Modified', async () => {
    const res = await staticApp().request('/static/app.css')
    expect(res.status).toBe(200)
    expect(res.headers.get('Cache-Control')).toBe('public, max-age=3600')
    expect(res.headers.get('ETag')).toBe(etag)
    expect(res.headers.get('Last-Modified')).toBe(lastModified)
    expect(res.headers.get('Content-Type')).toMatch(/^text\/css/)
    expect((await res.arrayBuffer()).byteLength).toBe(css.size)
  })

  it('are sent with no-cache when DEBUG asks for it', async () => {
    const res = await staticApp('no-cache').request('/static/app.js')
    expect(res.headers.get('Cache-Control')).toBe('no-cache')
  })

  it.each([
    ['the same ETag', { 'If-None-Match': etag }],
    ['the strong form of the ETag', { 'If-None-Match': etag.replace('W/', '') }],
    ['a list holding the ETag', { 'If-None-Match': `"other", ${etag}` }],
    ['If-None-Match: *', { 'If-None-Match': '*' }],
    ['the same Last-Modified', { 'If-Modified-Since': lastModified }],
    ['a later date', { 'If-Modified-Since': new Date(Date.now() + 60_000).toUTCString() }],
  ])('answer 304 with no body to a browser holding %s', async (_, headers) => {
    const res = await staticApp().request('/static/app.css', { headers })
    expect(res.status).toBe(304)
    expect(await res.text()).toBe('')
    expect(res.headers.get('ETag')).toBe(etag)
    expect(res.headers.get('Cache-Control')).toBe('public, max-age=3600')
  })

  it.each([
    ['another ETag', { 'If-None-Match': '"0-0"' }],
    [
      'an earlier date',
      { 'If-Modified-Since': new Date(css.mtime.getTime() - 60_000).toUTCString() },
    ],
    ['a date that is not one', { 'If-Modified-Since': 'yesterday' }],
    // If-None-Match wins: the tag says the copy is stale, whatever the date says.
    [
      'a stale ETag and a current date',
      { 'If-None-Match': '"0-0"', 'If-Modified-Since': lastModified },
    ],
  ])('send the file again to a browser holding %s', async (_, headers) => {
    const res = await staticApp().request('/static/app.css', { headers })
    expect(res.status).toBe(200)
    expect((await res.arrayBuffer()).byteLength).toBe(css.size)
  })

  it('leave a missing file to the routes after them', async () => {
    const res = await staticApp().request('/static/missing.css')
    expect(res.status).toBe(404)
    expect(await res.text()).toBe('not a file')
  })
})

describe('isNotModified', () => {
  const current = { etag: 'W/"a-1"', lastModified: new Date('2026-11-20T10:00:00.500Z') }
  it('compares dates to the second, as HTTP dates have no milliseconds', () => {
    const request = { ifNoneMatch: undefined, ifModifiedSince: 'Fri, 20 Nov 2026 10:00:00 GMT' }
    expect(isNotModified(request, current)).toBe(true)
  })
  it('is false without conditional headers', () => {
    expect(isNotModified({ ifNoneMatch: undefined, ifModifiedSince: undefined }, current)).toBe(
      false,
    )
  })
})
