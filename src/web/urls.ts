// Absolute URLs that respect a trusted proxy (the paths themselves are built in lib/paths.ts).
import type { Context } from 'hono'

export { rowUrl, tableUrl, userUrl, withQuery } from '../lib/paths.js'

// Per request: a page of 100 rows asks for it for every row's URL.
const origins = new WeakMap<Context, string>()

// Behind Heroku's router the app sees http; X-Forwarded-* say what the browser used.
export function origin(c: Context): string {
  let known = origins.get(c)
  if (known === undefined) {
    known = originOf(c)
    origins.set(c, known)
  }
  return known
}

function originOf(c: Context): string {
  const url = new URL(c.req.url)
  if (c.get('trustProxy')) {
    const proto = c.req.header('x-forwarded-proto')?.split(',')[0]?.trim()
    const host = c.req.header('x-forwarded-host')?.split(',')[0]?.trim()
    if (proto === 'http' || proto === 'https') url.protocol = `${proto}:`
    if (host) url.host = host
  }
  return url.origin
}

export const absoluteUrl = (c: Context, path: string) => `${origin(c)}${path}`
