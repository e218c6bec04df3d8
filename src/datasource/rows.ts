// Reading rows of a user table: filtered by search, sorted, one page at a time.
import { type RawBuilder, sql } from 'kysely'
import type { Db } from '../db/database.js'
import { containsPattern } from '../lib/search.js'
import { SEARCHABLE_TYPES, selectAsText } from './column-types.js'
import { sortExpression } from './ddl.js'
import type { RowOrder } from './keyset.js'
import { columnRef, tableRef } from './names.js'
import type { Row, TableInfo } from './types.js'

export type { RowOrder } from './keyset.js'
// Pages of rows live in list-rows.ts; re-exported here, where readers look for them.
export { listRows, type RowPage, type RowQuery } from './list-rows.js'

export type RawRow = { id: string | number; _version: number } & Record<string, string | null>

export function selectList(table: TableInfo): RawBuilder<unknown> {
  return sql.join([
    sql`id`,
    sql`_version`,
    ...table.columns.map(
      (column, index) =>
        sql`${selectAsText(column.type, columnRef(column.id))} as ${sql.id(`v${index}`)}`,
    ),
  ])
}

export function toRow(table: TableInfo, raw: RawRow): Row {
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
  return sql`${sortExpression(order.column).expression} ${direction} nulls last, id ${direction}`
}

// Below this many matches a search is counted exactly; above it the planner's estimate is shown.
export const EXACT_COUNT_LIMIT = 1_000

export interface RowCount {
  total: number
  estimated: boolean
}

// Never a count(*) over a whole big table: without a search the catalog's row count is exact;
// with one, matches are counted up to a limit, and past it the planner estimates.
export async function countRows(
  db: Db,
  table: TableInfo,
  search: string,
  exactLimit = EXACT_COUNT_LIMIT,
): Promise<RowCount> {
  if (!search) return { total: table.rowCount, estimated: false }
  const where = searchCondition(table, search)
  const { rows } = await sql<{ count: string | number }>`
    select count(*) as count from (
      select 1 from ${tableRef(table.id)} where ${where} limit ${exactLimit + 1}
    ) as matches
  `.execute(db)
  const count = Number(rows[0]?.count ?? 0)
  if (count <= exactLimit) return { total: count, estimated: false }
  const plan = await sql<{ 'QUERY PLAN': unknown }>`
    explain (format json) select 1 from ${tableRef(table.id)} where ${where}
  `.execute(db)
  const raw = plan.rows[0]?.['QUERY PLAN']
  const parsed = (typeof raw === 'string' ? JSON.parse(raw) : raw) as {
    Plan: { 'Plan Rows': number }
  }[]
  const estimate = Math.round(parsed[0]?.Plan['Plan Rows'] ?? 0)
  return { total: Math.min(Math.max(estimate, count), table.rowCount || estimate), estimated: true }
}

export async function getRow(db: Db, table: TableInfo, rowId: number): Promise<Row | null> {
  if (!Number.isSafeInteger(rowId) || rowId <= 0) return null
  const { rows } = await sql<RawRow>`
    select ${selectList(table)} from ${tableRef(table.id)} where id = ${rowId}
  `.execute(db)
  return rows[0] ? toRow(table, rows[0]) : null
}
