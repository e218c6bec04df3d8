// Files from static/ with Cache-Control, an ETag and Last-Modified, answering 304 when the
// browser's copy is current.
import { statSync } from 'node:fs'
import { serveStatic } from '@hono/node-server/serve-static'
import type { Context } from 'hono'
import { createMiddleware } from 'hono/factory'

// The same rule as express's `etag` for files: size and modification time, no hashing.
export function fileEtag(size: number, mtime: Date): string {
  return `W/"${size.toString(16)}-${mtime.getTime().toString(16)}"`
}

// If-None-Match wins over If-Modified-Since (RFC 9110 §13.2.2); weak comparison, as for GET.
export function isNotModified(
  request: { ifNoneMatch: string | undefined; ifModifiedSince: string | undefined },
  current: { etag: string; lastModified: Date },
): boolean {
  if (request.ifNoneMatch !== undefined) {
    const strip = (tag: string) => tag.trim().replace(/^W\//, '')
    return request.ifNoneMatch
      .split(',')
      .some((tag) => tag.trim() === '*' || strip(tag) === strip(current.etag))
  }
  if (request.ifModifiedSince === undefined) return false
  const since = Date.parse(request.ifModifiedSince)
  // HTTP dates have whole seconds; the file's time has milliseconds.
  return !Number.isNaN(since) && Math.floor(current.lastModified.getTime() / 1000) * 1000 <= since
}

export const staticFiles = (options: { root: string; cacheControl: string }) => {
  // serveStatic builds its response before calling onFound, so headers set there are lost (the
  // reason Cache-Control was missing): note the file here, and set headers on the response.
  const found = new WeakMap<Context, string>()
  const serve = serveStatic({
    root: options.root,
    onFound: (path, c) => {
      found.set(c, path)
    },
  })
  return createMiddleware(async function staticFiles(c, next) {
    const res = await serve(c, next)
    const path = found.get(c)
    if (!res || !path || res.status !== 200) return res
    const stats = statSync(path)
    const etag = fileEtag(stats.size, stats.mtime)
    const headers = {
      'Cache-Control': options.cacheControl,
      ETag: etag,
      'Last-Modified': stats.mtime.toUTCString(),
    }
    const request = {
      ifNoneMatch: c.req.header('If-None-Match'),
      ifModifiedSince: c.req.header('If-Modified-Since'),
    }
    if (isNotModified(request, { etag, lastModified: stats.mtime })) {
      // Close the file stream serveStatic opened.
      await res.body?.cancel()
      return new Response(null, { status: 304, headers })
    }
    for (const [name, value] of Object.entries(headers)) res.headers.set(name, value)
    return res
  })
}
