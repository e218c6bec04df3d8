// Reading rows of a user table: the select list (whole values, or cut for a grid), search, order,
// counts, and one row by id.
import { type RawBuilder, sql } from 'kysely'
import type { Db } from '../db/database.js'
import { containsPattern } from '../lib/search.js'
import { isFileType } from './column-type/file.js'
import { isLinkList } from './column-type/link.js'
import { definitionOf, selectAsText } from './column-types.js'
import { sortExpression } from './ddl.js'
import { filterCondition, type LinkIds, linkedWhere } from './filter-sql.js'
import type { Filter } from './filters.js'
import type { RowOrder } from './keyset.js'
import { columnRef, tableRef } from './names.js'
import { type ReadColumns, readWithCurrentColumns } from './read-columns.js'
import type { ColumnInfo, Row, TableInfo } from './types.js'

export type { RowOrder } from './keyset.js'
// Pages of rows live in list-rows.ts; re-exported here, where readers look for them.
export { listRows, type RowPage, type RowQuery, type RowSelection } from './list-rows.js'

export type RawRow = { id: string | number; _version: number } & Record<string, string | null>

// A grid shows this many characters of a value; the row page and exports show it whole.
export const GRID_CELL_CHARS = 300
// jsonb has no cheap prefix: a value stored before JSON had a size limit, and bigger than any
// allowed now, is not turned into text for a grid at all.
const JSON_PREVIEW_BYTES = 2_000_000
const NOT_PREVIEWED = 'A JSON value too large to preview here: open the row to see it.'

// Cut to `chars` characters (one more is read, to tell whether anything was cut), in SQL, so a
// long value is never read whole: left() reads only the first part of a TOASTed text.
function cellSql(column: ColumnInfo, chars: number | null): RawBuilder<unknown> {
  // Several links have no cell: they are read from their junction table (link-lists.ts).
  if (isLinkList(column)) return sql`null::text`
  const ref = columnRef(column.id)
  const text = selectAsText(column.type, ref)
  // A file cell's reference is small, and useless cut: it is read whole.
  if (chars === null || isFileType(column.type)) return text
  const cut = sql`left(${text}, ${sql.lit(chars + 1)})`
  if (definitionOf(column.type).postgres !== 'jsonb') return cut
  const note = sql`rpad(${sql.lit(NOT_PREVIEWED)}, ${sql.lit(chars + 1)}, ' ')`
  return sql`case when pg_column_size(${ref}) > ${sql.lit(JSON_PREVIEW_BYTES)} then ${note} else ${cut} end`
}

export function selectList(columns: ReadColumns, cellChars: number | null = null) {
  return sql.join([
    sql`id`,
    sql`_version`,
    ...columns.map(
      (column, index) =>
        sql`${column ? cellSql(column, cellChars) : sql`null::text`} as ${sql.id(`v${index}`)}`,
    ),
  ])
}

// Counts characters as code points, so a cut never splits a surrogate pair.
function cutCell(text: string | null, chars: number): { text: string | null; cut: boolean } {
  if (text === null || text.length <= chars) return { text, cut: false }
  const points = Array.from(text)
  if (points.length <= chars) return { text, cut: false }
  return { text: points.slice(0, chars).join('').trimEnd(), cut: true }
}

export function toRow(columns: ReadColumns, raw: RawRow, cellChars: number | null = null): Row {
  const row: Row = {
    id: Number(raw.id),
    version: Number(raw._version),
    cells: columns.map((_, index) => raw[`v${index}`] ?? null),
  }
  if (cellChars === null) return row
  const cells = row.cells.map((text, index) =>
    isFileType(columns[index]?.type ?? '') ? { text, cut: false } : cutCell(text, cellChars),
  )
  return { ...row, cells: cells.map((cell) => cell.text), truncated: cells.map((cell) => cell.cut) }
}

export function searchCondition(
  columns: ReadColumns,
  search: string,
  linkIds?: LinkIds,
): RawBuilder<unknown> {
  if (!search) return sql`true`
  const pattern = containsPattern(search)
  const searchable = columns.filter(
    (column): column is ColumnInfo => column !== null && definitionOf(column.type).searchable,
  )
  // A link cell matches when its linked row's display value does.
  const links = columns.filter((column): column is ColumnInfo => Boolean(column?.link?.display))
  if (searchable.length + links.length === 0) return sql`false`
  return sql`(${sql.join(
    [
      ...searchable.map((column) => sql`${columnRef(column.id)} ilike ${pattern}`),
      ...links.map((column) => linkedWhere(column, { equals: false, value: pattern }, linkIds)),
    ],
    sql` or `,
  )})`
}

// Which rows a page, count or export reads: the search and the filters, ANDed.
export interface RowMatch {
  search: string
  filters?: readonly Filter[]
  // Target rows that link searches and filters found beforehand (resolveLinkIds).
  linkIds?: LinkIds
}

export function matchCondition(columns: ReadColumns, match: RowMatch): RawBuilder<unknown> {
  const filters = match.filters ?? []
  const search = searchCondition(columns, match.search, match.linkIds)
  if (filters.length === 0) return search
  return sql`${search} and ${filterCondition(columns, filters, match.linkIds)}`
}

// The order with its column as `columns` have it now (none, if it was dropped).
export function currentOrder(order: RowOrder | null, columns: ReadColumns): RowOrder | null {
  if (!order?.column) return order
  const id = order.column.id
  const column = columns.find((candidate) => candidate?.id === id) ?? null
  // Several links have no value to sort by: such an order is by id.
  return { ...order, column: isLinkList(column) ? null : column }
}

// Nulls sort last either way; the row id breaks ties so pages never overlap.
export function orderBy(order: RowOrder | null): RawBuilder<unknown> {
  const direction = sql.raw(order?.descending ? 'desc' : 'asc')
  if (!order?.column) return sql`id ${direction}`
  return sql`${exportSortExpression(order.column)} ${direction} nulls last, id ${direction}`
}

// An export reads every row anyway: a link column sorts by its linked row's display value, looked
// up by primary key.
function exportSortExpression(column: ColumnInfo): RawBuilder<unknown> {
  const link = column.link
  if (!link?.display) return sortExpression(column).expression
  const key = definitionOf(link.display.type).sortSql(columnRef(link.display.id))
  // The inner names are its own, so the column is the outer row's even when a table links to itself.
  return sql`(select _link_key from (select id as _link_id, ${key} as _link_key
    from ${tableRef(link.tableId)}) as _link where _link_id = ${columnRef(column.id)})`
}

// Below this many matches a search is counted exactly; above it the planner's estimate is shown.
export const EXACT_COUNT_LIMIT = 1_000

export interface RowCount {
  total: number
  estimated: boolean
}

// Never a count(*) over a whole big table: without a search or filter the catalog's row count is
// exact; with one, matches are counted up to a limit, and past it the planner estimates.
export async function countMatches(
  db: Db,
  table: TableInfo,
  columns: ReadColumns,
  match: RowMatch,
  exactLimit = EXACT_COUNT_LIMIT,
): Promise<RowCount> {
  if (!match.search && !match.filters?.length) return { total: table.rowCount, estimated: false }
  const where = matchCondition(columns, match)
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

export function countRows(
  db: Db,
  table: TableInfo,
  match: RowMatch | string,
  exactLimit = EXACT_COUNT_LIMIT,
): Promise<RowCount> {
  const matching = typeof match === 'string' ? { search: match } : match
  return readWithCurrentColumns(
    db,
    table,
    (columns) => countMatches(db, table, columns, matching, exactLimit),
    () => ({ total: 0, estimated: false }),
  )
}

// One row with every value whole, or null (a bad id, a row or table that is not there).
export async function getRow(db: Db, table: TableInfo, rowId: number): Promise<Row | null> {
  if (!Number.isSafeInteger(rowId) || rowId <= 0) return null
  return readWithCurrentColumns(
    db,
    table,
    async (columns) => {
      const { rows } = await sql<RawRow>`
        select ${selectList(columns)} from ${tableRef(table.id)} where id = ${rowId}
      `.execute(db)
      return rows[0] ? toRow(columns, rows[0]) : null
    },
    () => null,
  )
}
