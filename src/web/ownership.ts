// Who may write: one check used by every write route.
import type { Context } from 'hono'
import { HTTPException } from 'hono/http-exception'
import type { TableInfo } from '../datasource/types.js'
import type { AppEnv, Viewer } from './env.js'
import { Redirect } from './load-table.js'
import { withQuery } from './urls.js'

// Signed out: off to sign in, then back to this page (for a GET) or the page the form was on.
export function requireViewer(c: Context<AppEnv>): Viewer {
  const viewer = c.get('viewer')
  if (viewer) return viewer
  const here = new URL(c.req.url)
  let back = c.req.method === 'GET' ? `${here.pathname}${here.search}` : '/'
  const referer = c.req.header('referer')
  if (c.req.method !== 'GET' && referer) {
    const url = new URL(referer, c.req.url)
    if (url.origin === here.origin) back = `${url.pathname}${url.search}`
  }
  throw new Redirect(withQuery('/auth/login', { next: back }), 303)
}

export function requireOwner(c: Context<AppEnv>, table: TableInfo): Viewer {
  const viewer = requireViewer(c)
  if (viewer.id !== table.owner.id) {
    throw new HTTPException(403, { message: `Only ${table.owner.username} can change this table.` })
  }
  return viewer
}

export const isOwner = (c: Context<AppEnv>, table: TableInfo) =>
  c.get('viewer')?.id === table.owner.id
