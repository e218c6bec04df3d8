// Who may write: one check used by every write route.
import type { Context } from 'hono'
import { HTTPException } from 'hono/http-exception'
import type { TableInfo } from '../datasource/types.js'
import { safeRedirectPath } from '../lib/redirect.js'
import type { AppEnv, Viewer } from './env.js'
import { Redirect } from './load-table.js'
import { origin, withQuery } from './urls.js'

// Signed out: off to sign in, then back to this page (for a GET) or the page the form was on.
export function requireViewer(c: Context<AppEnv>): Viewer {
  const viewer = c.get('viewer')
  if (viewer) return viewer
  const here = new URL(c.req.url)
  const back = safeRedirectPath(
    c.req.method === 'GET' ? `${here.pathname}${here.search}` : c.req.header('referer'),
    origin(c),
  )
  throw new Redirect(withQuery('/auth/login', { next: back }), 303)
}

// `/{username}/tables/new` and `/{username}/tables/import…` act for the signed-in user only.
export function requireSelf(c: Context<AppEnv>, refusal: string): Viewer {
  const viewer = requireViewer(c)
  if (viewer.username.toLowerCase() !== c.req.param('username')?.toLowerCase())
    throw new HTTPException(403, { message: refusal })
  return viewer
}

export const CREATE_ELSEWHERE = 'You can only create tables of your own.'
export const IMPORT_ELSEWHERE = 'You can only import into tables of your own.'

export function requireOwner(c: Context<AppEnv>, table: TableInfo): Viewer {
  const viewer = requireViewer(c)
  if (viewer.id !== table.owner.id) {
    throw new HTTPException(403, { message: `Only ${table.owner.username} can change this table.` })
  }
  return viewer
}

export const isOwner = (c: Context<AppEnv>, table: TableInfo) =>
  c.get('viewer')?.id === table.owner.id
