// Finds the table a URL names, or answers for it: 404, or a redirect from a renamed table's old slug.
import type { Context } from 'hono'
import { HTTPException } from 'hono/http-exception'
import { findTable } from '../datasource/catalog.js'
import type { TableInfo } from '../datasource/types.js'
import { hasControlCharacters, isWellFormed } from '../lib/text.js'
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

// A name from the URL that no user or table can have (a NUL, a lone surrogate, 1 MB): a 404 without
// asking the database, which would refuse some of them with an error.
export const isPlausibleName = (value: string) =>
  value.length > 0 && value.length <= 200 && !hasControlCharacters(value) && isWellFormed(value)

const canSee = (c: Context<AppEnv>, table: TableInfo) =>
  table.isPublic || c.get('viewer')?.id === table.owner.id

// The tables already found for a request, so a check before the body is read and the handler share one.
const loaded = new WeakMap<Context, TableInfo>()

// Private tables answer 404 to everyone but their owner, so their existence is not revealed; the
// old address of a renamed table too, so a rename does not give the new name away.
export async function loadTable(c: Context<AppEnv>): Promise<TableInfo> {
  const cached = loaded.get(c)
  if (cached) return cached
  // Both are in every route pattern this serves.
  const username = String(c.req.param('username'))
  const slug = String(c.req.param('table'))
  if (!isPlausibleName(username) || !isPlausibleName(slug)) throw notFoundError('This table')
  const db = c.get('database').db
  const lookup = await findTable(db, username, slug)
  if (lookup.found === 'redirect') {
    const renamed = await findTable(db, username, lookup.slug)
    if (renamed.found !== 'table' || !canSee(c, renamed.table)) throw notFoundError('This table')
    // The rest of the address (a row, a tab) and the query string come along.
    const url = new URL(c.req.url)
    const rest = url.pathname.split('/').slice(4)
    const to = tableUrl(renamed.table.owner.username, lookup.slug)
    throw new Redirect(`${[to, ...rest].join('/')}${url.search}`)
  }
  if (lookup.found === 'none' || !canSee(c, lookup.table)) throw notFoundError('This table')
  loaded.set(c, lookup.table)
  return lookup.table
}
