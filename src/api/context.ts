// What every API handler needs from the request: the database, the actor, the table the path names.
import type { Context } from 'hono'
import { type Access, openTable } from '../application/access.js'
import { findColumn } from '../application/columns.js'
import type { ColumnInfo, TableInfo } from '../datasource/types.js'
import type { AppEnv } from '../web/env.js'
import { absoluteUrl } from '../web/urls.js'

export type ApiContext = Context<AppEnv>

export const dbOf = (c: ApiContext) => c.get('database').db
export const absoluteFor = (c: ApiContext) => (path: string) => absoluteUrl(c, path)

export function tableFor(c: ApiContext, access: Access): Promise<TableInfo> {
  return openTable(
    dbOf(c),
    c.get('actor'),
    { username: c.req.param('username') ?? '', slug: c.req.param('table') ?? '' },
    access,
  )
}

export async function columnFor(
  c: ApiContext,
  access: Access,
): Promise<{ table: TableInfo; column: ColumnInfo }> {
  const table = await tableFor(c, access)
  return { table, column: findColumn(table, c.req.param('column') ?? '') }
}
