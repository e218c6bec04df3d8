// Who is signed in, and who may act under a username: the page-side checks the write guard and
// the routes share.
import type { Context } from 'hono'
import { requireAccount } from '../application/access.js'
import { UnauthorizedError } from '../application/errors.js'
import type { TableInfo } from '../datasource/types.js'
import type { AppEnv, Viewer } from './env.js'

// Signed out: a sign-in, then back to this page or the page the form was on (see refusals.ts).
export function requireViewer(c: Context<AppEnv>): Viewer {
  const viewer = c.get('viewer')
  if (!viewer) throw new UnauthorizedError()
  return viewer
}

export const CREATE_ELSEWHERE = 'You can only create tables of your own.'
export const IMPORT_ELSEWHERE = 'You can only import into tables of your own.'

// `/{username}/tables/new` and `/{username}/tables/import…` act for the signed-in user only.
export function requireSelf(c: Context<AppEnv>, refusal: string): Viewer {
  const viewer = requireViewer(c)
  requireAccount(c.get('actor'), String(c.req.param('username')), refusal)
  return viewer
}

export const isOwner = (c: Context<AppEnv>, table: TableInfo) =>
  c.get('viewer')?.id === table.owner.id
