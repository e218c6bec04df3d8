// Building the app's URLs from slugs, and absolute URLs that respect a trusted proxy.
import type { Context } from 'hono'

type Params = Record<string, string | number | null | undefined>

export function withQuery(path: string, params: Params = {}): string {
  const query = new URLSearchParams()
  for (const [key, value] of Object.entries(params)) {
    if (value !== null && value !== undefined && value !== '') query.set(key, String(value))
  }
  const text = query.toString()
  return text ? `${path}?${text}` : path
}

const segment = encodeURIComponent

export const userUrl = (username: string) => `/${segment(username)}`
export const tableUrl = (username: string, table: string, params?: Params) =>
  withQuery(`/${segment(username)}/tables/${segment(table)}`, params)
export const rowUrl = (username: string, table: string, rowId: number) =>
  `${tableUrl(username, table)}/${rowId}`

// Behind Heroku's router the app sees http; X-Forwarded-* say what the browser used.
export function origin(c: Context): string {
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
