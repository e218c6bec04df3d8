// Reading rows of a user table: filtered by search, sorted, one page at a time.
import { type RawBuilder, sql } from 'kysely'
import type { Db } from '../db/database.js'
import { clampPage, pageCount } from '../lib/pagination.js'
import { containsPattern } from '../lib/search.js'
import { SEARCHABLE_TYPES, selectAsText } from './column-types.js'
import { columnRef, tableRef } from './names.js'
import type { ColumnInfo, Row, TableInfo } from './types.js'

export interface RowOrder {
  // null orders by the row id.
  column: ColumnInfo | null
  descending: boolean
}

export interface RowQuery {
  search: string
  order: RowOrder | null
  page: number
  perPage: number
}

export interface RowPage {
  rows: Row[]
  total: number
  page: number
  pageCount: number
}

type RawRow = { id: string | number; _version: number } & Record<string, string | null>

function selectList(table: TableInfo): RawBuilder<unknown> {
  return sql.join([
    sql`id`,
    sql`_version`,
    ...table.columns.map(
      (column, index) =>
        sql`${selectAsText(column.type, columnRef(column.id))} as ${sql.id(`v${index}`)}`,
    ),
  ])
}

function toRow(table: TableInfo, raw: RawRow): Row {
  return {
    id: Number(raw.id),
    version: Number(raw._version),
    cells: table.columns.map((_, index) => raw[`v${index}`] ?? null),
  }
}

export function searchCondition(table: TableInfo, search: string): RawBuilder<unknown> {
  if (!search) return sql`true`
  const pattern = containsPattern(search)
  const searchable = table.columns.filter((column) => SEARCHABLE_TYPES.has(column.type))
  if (searchable.length === 0) return sql`false`
  return sql`(${sql.join(
    searchable.map((column) => sql`${columnRef(column.id)} ilike ${pattern}`),
    sql` or `,
  )})`
}

// Nulls sort last either way; the row id breaks ties so pages never overlap.
export function orderBy(order: RowOrder | null): RawBuilder<unknown> {
  const direction = sql.raw(order?.descending ? 'desc' : 'asc')
  if (!order?.column) return sql`id ${direction}`
  return sql`${columnRef(order.column.id)} ${direction} nulls last, id ${direction}`
}

export async function countRows(db: Db, table: TableInfo, search: string): Promise<number> {
  const { rows } = await sql<{ count: string | number }>`
    select count(*) as count from ${tableRef(table.id)} where ${searchCondition(table, search)}
  `.execute(db)
  return Number(rows[0]?.count ?? 0)
}

export async function listRows(db: Db, table: TableInfo, query: RowQuery): Promise<RowPage> {
  const total = await countRows(db, table, query.search)
  const pages = pageCount(total, query.perPage)
  const page = clampPage(query.page, pages)
  const { rows } = await sql<RawRow>`
    select ${selectList(table)} from ${tableRef(table.id)}
    where ${searchCondition(table, query.search)}
    order by ${orderBy(query.order)}
    limit ${query.perPage} offset ${(page - 1) * query.perPage}
  `.execute(db)
  return { rows: rows.map((raw) => toRow(table, raw)), total, page, pageCount: pages }
}

export async function getRow(db: Db, table: TableInfo, rowId: number): Promise<Row | null> {
  if (!Number.isSafeInteger(rowId) || rowId <= 0) return null
  const { rows } = await sql<RawRow>`
    select ${selectList(table)} from ${tableRef(table.id)} where id = ${rowId}
  `.execute(db)
  return rows[0] ? toRow(table, rows[0]) : null
}
