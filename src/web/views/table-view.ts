// View models for the table and row pages, and their JSON forms.

import type { LinkedFrom } from '../../application/links.js'
import { isLinkList } from '../../datasource/column-type/link.js'
import { filterParams } from '../../datasource/filters.js'
import type { RowPage } from '../../datasource/rows.js'
import type { ColumnInfo, Row, TableInfo } from '../../datasource/types.js'
import { formatOrder, nextOrder, sortState } from '../../lib/ordering.js'
import { pageWindow } from '../../lib/pagination.js'
import { rowUrl, tableUrl, userUrl, withQuery } from '../urls.js'
import { columnChooserView, hideColumnUrl } from './column-chooser.js'
import type { facetsView } from './facets-view.js'
import { fileView } from './file-view.js'
import { filterBarView } from './filter-bar.js'
import { tableNav } from './table-nav.js'
import { stateParams, type TableState } from './table-state.js'

const NUMERIC = new Set(['integer', 'decimal'])
const numberFormat = new Intl.NumberFormat('en-GB')

export type { TableState } from './table-state.js'

export const formatCount = (n: number) => numberFormat.format(n)

// An estimate, to two significant figures: "1.2 million", "34,000".
export function formatApproximate(n: number): string {
  if (n >= 1_000_000) return `${Number((n / 1_000_000).toPrecision(2))} million`
  return numberFormat.format(Number(n.toPrecision(2)))
}

const BOOLEAN_TEXT: Record<string, string> = { true: 'Yes', false: 'No' }

// Long values are cut in the grid (by CSS, and past GRID_CELL_CHARS by the query): the cell's
// title holds what was read, for hovering.
const HOVER_FROM_CHARS = 30

function cellView(column: ColumnInfo, text: string | null, truncated = false) {
  const shown = column.type === 'boolean' && text !== null ? (BOOLEAN_TEXT[text] ?? text) : text
  const full = truncated ? `${shown}… (cut short here: open the row to see it all)` : shown
  return {
    text: truncated ? `${shown}…` : (shown ?? ''),
    isNull: text === null,
    numeric: NUMERIC.has(column.type),
    truncated,
    title: full !== null && full.length > HOVER_FROM_CHARS ? full : null,
  }
}

// Next and Previous carry keyset cursors and the last page reads backwards: all stay index scans.
export function tablePageLinks(
  table: TableInfo,
  state: TableState,
  page: RowPage,
  format: 'json' | null = null,
) {
  const base = stateParams(state)
  const url = (params: Record<string, string | number | null>) =>
    tableUrl(table.owner.username, table.slug, { ...base, ...params, format })
  const numbered = (n: number) => url({ page: n === 1 ? null : n })
  const previous = !page.hasPrevious
    ? null
    : page.page <= 2 || !page.firstCursor
      ? numbered(1)
      : url({ page: page.page - 1, before: page.firstCursor })
  const next =
    page.hasNext && page.lastCursor ? url({ page: page.page + 1, after: page.lastCursor }) : null
  const last = url({ page: page.pageCount, at: 'end' })
  return {
    self: numbered(page.page),
    first: numbered(1),
    last,
    previous,
    next,
    page: (n: number) =>
      n === page.page + 1 && next
        ? next
        : n === page.page - 1 && previous
          ? previous
          : n === page.pageCount && n > 1
            ? last
            : numbered(n),
  }
}

export interface TablePageExtras {
  isOwner: boolean
  notice: string | null
  filterProblems: string[]
  facets: ReturnType<typeof facetsView>
  // The columns shown (all, unless chosen).
  shown: readonly ColumnInfo[]
}

export function tablePageView(
  table: TableInfo,
  state: TableState,
  page: RowPage,
  perPage: number,
  extras: TablePageExtras,
) {
  const owner = table.owner.username
  const links = tablePageLinks(table, state, page)
  const base = tableUrl(owner, table.slug)
  const exportQuery = stateParams(state)
  const first = page.total === 0 ? 0 : (page.page - 1) * perPage + 1
  const shownIds = new Set(extras.shown.map((column) => column.id))
  const visible = table.columns
    .map((column, index) => ({ column, index }))
    .filter(({ column }) => shownIds.has(column.id))
  return {
    title: table.name,
    isOwner: extras.isOwner,
    notice: extras.notice,
    nav: tableNav(table, 'rows', extras.isOwner),
    newRowUrl: `${base}/new`,
    columnsUrl: `${base}/columns`,
    bulkDeleteUrl: `${base}/delete-rows`,
    backUrl: links.self,
    exportCsvUrl: withQuery(`${base}/export.csv`, exportQuery),
    exportJsonUrl: withQuery(`${base}/export.json`, exportQuery),
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
    clearSearchUrl: tableUrl(owner, table.slug, { ...stateParams(state), search: null }),
    // The search form keeps the filters.
    filterFields: Object.entries(filterParams(state.filters)).map(([name, value]) => ({
      name,
      value,
    })),
    filterBar: filterBarView(table, state, extras.filterProblems),
    facets: extras.facets,
    columnChooser: columnChooserView(table, state, visible, extras.isOwner),
    columns: visible.map(({ column }) => ({
      name: column.name,
      hideUrl: hideColumnUrl(table, state, visible, column),
      numeric: NUMERIC.has(column.type),
      sortState: sortState(state.order, column.slug),
      // Sorting keeps the search and filters and goes back to page 1. Several links do not sort.
      sortUrl: isLinkList(column)
        ? null
        : tableUrl(owner, table.slug, {
            ...stateParams(state),
            order: formatOrder(nextOrder(state.order, column.slug)),
          }),
    })),
    rows: page.rows.map((row) => ({
      id: row.id,
      url: rowUrl(owner, table.slug, row.id),
      cells: visible.map(({ column, index }) => ({
        ...cellView(column, row.cells[index] ?? null, row.truncated?.[index] ?? false),
        file: fileView(table, row, index),
        link: linkView(row, index),
        linkList: linkListView(row, index),
      })),
    })),
    summary: {
      isEmpty: page.rows.length === 0,
      estimated: page.estimated,
      total: page.estimated ? `about ${formatApproximate(page.total)}` : formatCount(page.total),
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

// A link cell: the linked row's display value (its id when there is none) and its page, if the
// reader may see it; null for other cells.
function linkView(row: Row, index: number) {
  const linked = row.links?.[index]
  if (!linked) return null
  return { text: linked.display ?? `Row ${linked.id}`, url: linked.url }
}

// A several-links cell: each linked row as a link cell shows it, and how many more there are
// beyond those read (a grid reads the first few); null for other cells and for no links.
function linkListView(row: Row, index: number) {
  const list = row.linkLists?.[index]
  if (!list || list.total === 0) return null
  const more = list.total - list.links.length
  return {
    items: list.links.map((linked) => ({
      text: linked.display ?? `Row ${linked.id}`,
      url: linked.url,
    })),
    more: more > 0 ? `and ${formatCount(more)} more` : null,
  }
}

export function rowPageView(
  table: TableInfo,
  row: Row,
  isOwner = false,
  linkedFrom: LinkedFrom[] = [],
) {
  const owner = table.owner.username
  const url = rowUrl(owner, table.slug, row.id)
  return {
    isOwner,
    editUrl: `${url}/edit`,
    deleteUrl: `${url}/delete`,
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
      file: fileView(table, row, index),
      link: linkView(row, index),
      linkList: linkListView(row, index),
    })),
    linkedFrom: linkedFrom.map((entry) => ({
      ...entry,
      count: `${formatCount(entry.count)} ${entry.count === 1 ? 'row' : 'rows'}`,
    })),
  }
}
