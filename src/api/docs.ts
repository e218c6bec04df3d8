// The interactive API reference at /api/docs: Swagger UI, served from our own origin (no CDN), over
// the whole API's document or one table's (`?table=owner/slug`).
import { createReadStream } from 'node:fs'
import { Readable } from 'node:stream'
import { Hono } from 'hono'
import { API_BASE, apiTableUrl } from '../lib/paths.js'
import { appPath } from '../paths.js'
import type { AppEnv } from '../web/env.js'
import { renderPage } from '../web/render.js'

export const docsRoutes = new Hono<AppEnv>()

const ASSETS: Record<string, string> = {
  'swagger-ui.css': 'text/css; charset=utf-8',
  'swagger-ui-bundle.js': 'text/javascript; charset=utf-8',
}

docsRoutes.get('/', (c) => {
  // A table's own document lists its columns; the address is built from its parts, never echoed.
  const [owner, slug] = (c.req.query('table') ?? '').split('/')
  const specUrl =
    owner && slug ? `${apiTableUrl(owner, slug)}/openapi.json` : `${API_BASE}/openapi.json`
  return renderPage(c, 'api-docs', { title: 'API reference', specUrl })
})

docsRoutes.get('/assets/:file', (c) => {
  const file = c.req.param('file')
  const type = ASSETS[file]
  if (!type) return c.notFound()
  c.header('Content-Type', type)
  c.header('Cache-Control', 'public, max-age=86400')
  const stream = createReadStream(appPath('node_modules', 'swagger-ui-dist', file))
  return c.body(Readable.toWeb(stream) as ReadableStream)
})
