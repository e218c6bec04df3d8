// Pages of tables for the dashboard and the profiles: newest change first, private ones only for
// their owner, counted so the pages can be numbered.
import type { Db } from '../db/database.js'
import { clampPage, pageCount } from '../lib/pagination.js'

export interface TableSummary {
  id: number
  name: string
  slug: string
  description: string
  isPublic: boolean
  rowCount: number
  columnCount: number
  updatedAt: Date
  owner: { id: number; username: string }
}

export interface TableListPage {
  tables: TableSummary[]
  total: number
  page: number
  pageCount: number
  perPage: number
}

export interface TableListQuery {
  // Only this user's tables; or, with `notOwnerId`, everyone's but that user's.
  ownerId?: number
  notOwnerId?: number
  // Private tables too: only when their owner is the one looking at a list of their own.
  includePrivate: boolean
  page: number
  perPage: number
}

// Plain conditions (no OR), so the indexes on (owner_id, updated_at) and on public tables serve.
function visibleTables(db: Db, query: TableListQuery) {
  let tables = db.selectFrom('tables')
  if (query.ownerId !== undefined) tables = tables.where('tables.owner_id', '=', query.ownerId)
  if (query.notOwnerId !== undefined)
    tables = tables.where('tables.owner_id', '!=', query.notOwnerId)
  return query.includePrivate ? tables : tables.where('tables.is_public', '=', true)
}

// A page past the end shows the last page, as the table pages do.
export async function listTablePage(db: Db, query: TableListQuery): Promise<TableListPage> {
  const { n } = await visibleTables(db, query)
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow()
  const total = Number(n)
  const pages = pageCount(total, query.perPage)
  const page = clampPage(query.page, pages)
  const rows = await visibleTables(db, query)
    .innerJoin('users', 'users.id', 'tables.owner_id')
    .select((eb) => [
      'tables.id',
      'tables.name',
      'tables.slug',
      'tables.description',
      'tables.is_public',
      'tables.row_count',
      'tables.updated_at',
      'users.id as owner_id',
      'users.username',
      eb
        .selectFrom('columns')
        .select((inner) => inner.fn.countAll<number>().as('c'))
        .whereRef('columns.table_id', '=', 'tables.id')
        .as('column_count'),
    ])
    .orderBy('tables.updated_at', 'desc')
    .orderBy('tables.id', 'desc')
    .offset((page - 1) * query.perPage)
    .limit(query.perPage)
    .execute()
  return {
    tables: rows.map((row) => ({
      id: row.id,
      name: row.name,
      slug: row.slug,
      description: row.description,
      isPublic: row.is_public,
      rowCount: Number(row.row_count),
      columnCount: Number(row.column_count),
      updatedAt: row.updated_at,
      owner: { id: row.owner_id, username: row.username },
    })),
    total,
    page,
    pageCount: pages,
    perPage: query.perPage,
  }
}
