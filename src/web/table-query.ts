// What the table page and the export read from the query string: search, filters, order and page
// position. Bad values are ignored or clamped (bad filters with a message), never an error. The
// benchmark's floor uses it too.
import { facetBy } from '../datasource/facets.js'
import { type Filter, readFilters } from '../datasource/filters.js'
import { decodeCursor, type RowOrder } from '../datasource/keyset.js'
import type { PageAt } from '../datasource/list-rows.js'
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
  order: Order | null
  rowOrder: RowOrder | null
  at: PageAt
}

export function readTableQuery(
  table: TableInfo,
  query: Record<string, string | undefined>,
): TableQuery {
  const search = normalizeSearch(query.search)
  const order = parseOrder(
    query.order,
    table.columns.map((column) => column.slug),
  )
  const column = order ? (table.columns.find((col) => col.slug === order.slug) ?? null) : null
  const { filters, problems } = readFilters(table.columns, query)
  return {
    search,
    filters,
    filterProblems: problems.map((problem) => problem.message),
    facets: readFacetColumns(table, query._facet),
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

export const MAX_FACETS = 10

// `_facet=party,day` (the page also joins repeated `_facet` parameters this way).
export function readFacetColumns(table: TableInfo, raw: string | undefined): ColumnInfo[] {
  const slugs = new Set((raw ?? '').split(',').map((slug) => slug.trim()))
  return table.columns
    .filter((column) => slugs.has(column.slug) && facetBy(column.type) !== null)
    .slice(0, MAX_FACETS)
}
