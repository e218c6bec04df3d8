// Finds the table a URL names, or answers for it: 404, or a redirect from a renamed table's old slug.
import type { Context } from 'hono'
import { HTTPException } from 'hono/http-exception'
import { findTable } from '../datasource/catalog.js'
import type { TableInfo } from '../datasource/types.js'
import type { AppEnv } from './env.js'
import { tableUrl } from './urls.js'

export class Redirect extends Error {
  constructor(
    readonly location: string,
    readonly status: 301 | 303 = 301,
  ) {
    super(`Moved to ${location}`)
  }
}

export const notFoundError = (what: string) =>
  new HTTPException(404, { message: `${what} does not exist, or you cannot see it.` })

// Private tables answer 404 to everyone but their owner, so their existence is not revealed.
export async function loadTable(c: Context<AppEnv>): Promise<TableInfo> {
  const username = c.req.param('username') ?? ''
  const slug = c.req.param('table') ?? ''
  const lookup = await findTable(c.get('database').db, username, slug)
  if (lookup.found === 'redirect') {
    const url = new URL(c.req.url)
    const oldPrefix = tableUrl(username, slug)
    throw new Redirect(
      `${tableUrl(username, lookup.slug)}${url.pathname.slice(oldPrefix.length)}${url.search}`,
    )
  }
  const viewer = c.get('viewer')
  if (lookup.found === 'none' || (!lookup.table.isPublic && viewer?.id !== lookup.table.owner.id)) {
    throw notFoundError('This table')
  }
  return lookup.table
}
