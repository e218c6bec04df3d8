// View models for the table and row pages, and their JSON forms.
import { toJsonValue } from '../../datasource/column-types.js'
import type { RowPage } from '../../datasource/rows.js'
import type { ColumnInfo, Row, TableInfo } from '../../datasource/types.js'
import { formatOrder, nextOrder, type Order, sortState } from '../../lib/ordering.js'
import { pageWindow } from '../../lib/pagination.js'
import { rowUrl, tableUrl, userUrl } from '../urls.js'

const NUMERIC = new Set(['integer', 'decimal'])
const numberFormat = new Intl.NumberFormat('en-GB')

export interface TableState {
  search: string
  order: Order | null
}

export const formatCount = (n: number) => numberFormat.format(n)

export function rowValues(table: TableInfo, row: Row): Record<string, unknown> {
  return Object.fromEntries(
    table.columns.map((column, index) => [
      column.slug,
      toJsonValue(column.type, row.cells[index] ?? null),
    ]),
  )
}

function cellView(column: ColumnInfo, text: string | null) {
  return { text: text ?? '', isNull: text === null, numeric: NUMERIC.has(column.type) }
}

export function tablePageLinks(table: TableInfo, state: TableState, page: RowPage) {
  const link = (n: number) =>
    tableUrl(table.owner.username, table.slug, {
      search: state.search,
      order: formatOrder(state.order),
      page: n === 1 ? null : n,
    })
  return {
    self: link(page.page),
    first: link(1),
    last: link(page.pageCount),
    previous: page.page > 1 ? link(page.page - 1) : null,
    next: page.page < page.pageCount ? link(page.page + 1) : null,
    page: link,
  }
}

export function tablePageView(table: TableInfo, state: TableState, page: RowPage, perPage: number) {
  const owner = table.owner.username
  const links = tablePageLinks(table, state, page)
  const first = page.total === 0 ? 0 : (page.page - 1) * perPage + 1
  return {
    title: table.name,
    table: {
      name: table.name,
      description: table.description,
      isPublic: table.isPublic,
      url: tableUrl(owner, table.slug),
      jsonUrl: `${links.self}${links.self.includes('?') ? '&' : '?'}format=json`,
    },
    breadcrumbs: [
      { label: owner, url: userUrl(owner) },
      { label: table.name, url: null },
    ],
    search: state.search,
    order: formatOrder(state.order),
    clearSearchUrl: tableUrl(owner, table.slug, { order: formatOrder(state.order) }),
    columns: table.columns.map((column) => ({
      name: column.name,
      numeric: NUMERIC.has(column.type),
      sortState: sortState(state.order, column.slug),
      // Sorting keeps the search and goes back to page 1.
      sortUrl: tableUrl(owner, table.slug, {
        search: state.search,
        order: formatOrder(nextOrder(state.order, column.slug)),
      }),
    })),
    rows: page.rows.map((row) => ({
      id: row.id,
      url: rowUrl(owner, table.slug, row.id),
      cells: table.columns.map((column, index) => cellView(column, row.cells[index] ?? null)),
    })),
    summary: {
      isEmpty: page.total === 0,
      total: formatCount(page.total),
      first: formatCount(first),
      last: formatCount(first === 0 ? 0 : first + page.rows.length - 1),
      noun: page.total === 1 ? 'row' : 'rows',
    },
    pagination: {
      previousUrl: links.previous,
      nextUrl: links.next,
      pages: pageWindow(page.page, page.pageCount).map((n) =>
        n === null ? null : { number: n, url: links.page(n), current: n === page.page },
      ),
    },
  }
}

export function rowPageView(table: TableInfo, row: Row) {
  const owner = table.owner.username
  return {
    title: `Row ${row.id} · ${table.name}`,
    breadcrumbs: [
      { label: owner, url: userUrl(owner) },
      { label: table.name, url: tableUrl(owner, table.slug) },
      { label: `Row ${row.id}`, url: null },
    ],
    table: { name: table.name, url: tableUrl(owner, table.slug) },
    row: { id: row.id, jsonUrl: `${rowUrl(owner, table.slug, row.id)}?format=json` },
    fields: table.columns.map((column, index) => ({
      name: column.name,
      ...cellView(column, row.cells[index] ?? null),
    })),
  }
}
