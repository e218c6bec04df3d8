// The table a page's address names, opened for the request's actor with the access the page needs
// (see application/access.ts): refusals are thrown and become 404, 403 or a sign-in (errors.ts).
import type { Context } from 'hono'
import { type Access, openTable, requireAccess } from '../application/access.js'
import { NotFoundError } from '../application/errors.js'
import type { TableInfo } from '../datasource/types.js'
import { hasControlCharacters, isWellFormed } from '../lib/text.js'
import type { AppEnv } from './env.js'

// A name from the URL that no user or table can have (a NUL, a lone surrogate, 1 MB): a 404 without
// asking the database, which would refuse some of them with an error.
export const isPlausibleName = (value: string) =>
  value.length > 0 && value.length <= 200 && !hasControlCharacters(value) && isWellFormed(value)

// The tables already opened for a request, so a check before the body is read and the handler share one.
const opened = new WeakMap<Context, TableInfo>()

export async function loadTable(c: Context<AppEnv>, access: Access = 'read'): Promise<TableInfo> {
  let table = opened.get(c)
  if (!table) {
    // Both are in every route pattern this serves.
    const username = String(c.req.param('username'))
    const slug = String(c.req.param('table'))
    if (!isPlausibleName(username) || !isPlausibleName(slug)) throw new NotFoundError('This table')
    table = await openTable(c.get('database').db, c.get('actor'), { username, slug }, 'read')
    opened.set(c, table)
  }
  requireAccess(c.get('actor'), table, access)
  return table
}
