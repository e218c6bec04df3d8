// What the table page and the export read from the query string: search, filters, order and page
// position. Bad values are ignored or clamped (bad filters with a message), never an error. The
// benchmark's floor uses it too.
import { cellColumns } from '../datasource/column-type/link.js'
import { columnFacetBy, MAX_FACETS } from '../datasource/facets.js'
import { type Filter, readFilters } from '../datasource/filters.js'
import { decodeCursor, type RowOrder } from '../datasource/keyset.js'
import type { PageAt } from '../datasource/list-rows.js'
import type { ViewState } from '../datasource/table-views.js'
import type { ColumnInfo, TableInfo } from '../datasource/types.js'
import { type Order, parseOrder } from '../lib/ordering.js'
import { parsePage } from '../lib/pagination.js'
import { normalizeSearch } from '../lib/search.js'

export interface TableQuery {
  search: string
  filters: Filter[]
  // Filters left out, and why.
  filterProblems: string[]
  // Columns to facet (`?_facet=party,day`), those that can be, each once.
  facets: ColumnInfo[]
  // The columns shown, and the choice as the address gives it (`_col`, `_nocol`: known slugs).
  shown: ColumnInfo[]
  columnChoice: ColumnChoice
  order: Order | null
  rowOrder: RowOrder | null
  at: PageAt
}

export interface ColumnChoice {
  col: string
  nocol: string
}

// `_col=a,b` shows those columns, else the owner's default set (or all); `_nocol=c` hides some. No
// column left shows them all.
export function chooseColumns(
  table: TableInfo,
  query: Record<string, string | undefined>,
  defaultIds: readonly number[] | null,
): { shown: ColumnInfo[]; choice: ColumnChoice } {
  const slugs = (raw: string | undefined) => {
    const wanted = new Set((raw ?? '').split(',').map((slug) => slug.trim()))
    return table.columns.filter((column) => wanted.has(column.slug))
  }
  const col = slugs(query._col)
  const nocol = slugs(query._nocol)
  const base =
    col.length > 0
      ? col
      : defaultIds
        ? table.columns.filter((column) => defaultIds.includes(column.id))
        : table.columns
  const shown = base.filter((column) => !nocol.includes(column))
  const list = (columns: ColumnInfo[]) => columns.map((column) => column.slug).join(',')
  return {
    shown: shown.length > 0 ? shown : table.columns,
    choice: { col: list(col), nocol: list(nocol) },
  }
}

export function readTableQuery(
  table: TableInfo,
  query: Record<string, string | undefined>,
  defaultColumns: readonly number[] | null = null,
): TableQuery {
  const search = normalizeSearch(query.search)
  const order = parseOrder(
    query.order,
    cellColumns(table.columns).map((column) => column.slug),
  )
  const column = order ? (table.columns.find((col) => col.slug === order.slug) ?? null) : null
  const { filters, problems } = readFilters(table.columns, query)
  const { shown, choice } = chooseColumns(table, query, defaultColumns)
  return {
    search,
    filters,
    filterProblems: problems.map((problem) => problem.message),
    facets: readFacetColumns(table, query._facet),
    shown,
    columnChoice: choice,
    order,
    rowOrder: order && { column, descending: order.descending },
    at: pageAt(query),
  }
}

// A numbered page, after or before a cursor (Next, Previous), or the end.
function pageAt(query: Record<string, string | undefined>): PageAt {
  const page = parsePage(query.page)
  if (query.at === 'end') return { kind: 'last' }
  const after = decodeCursor(query.after)
  if (after) return { kind: 'after', cursor: after, page }
  const before = decodeCursor(query.before)
  if (before) return { kind: 'before', cursor: before, page }
  return { kind: 'page', page }
}

// `_facet=party,day` (the page also joins repeated `_facet` parameters this way).
export function readFacetColumns(table: TableInfo, raw: string | undefined): ColumnInfo[] {
  const slugs = new Set((raw ?? '').split(',').map((slug) => slug.trim()))
  return table.columns
    .filter((column) => slugs.has(column.slug) && columnFacetBy(column) !== null)
    .slice(0, MAX_FACETS)
}

// What a saved view keeps of a page's query: columns by id, so renames change nothing.
export function viewStateOf(query: TableQuery): ViewState {
  const chosen = query.columnChoice.col || query.columnChoice.nocol
  return {
    search: query.search,
    order: query.rowOrder?.column
      ? { column: query.rowOrder.column.id, descending: query.rowOrder.descending }
      : null,
    filters: query.filters.map((filter) => ({
      column: filter.column.id,
      operator: filter.operator,
      value: filter.raw,
    })),
    facets: query.facets.map((column) => column.id),
    columns: chosen ? query.shown.map((column) => column.id) : null,
  }
}
