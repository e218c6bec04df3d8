// The table page, as HTML or JSON, for a table's own address and for a saved view's: read the
// query, one page of rows, the facets, and render.
import type { Context } from 'hono'
import { readPageFacets } from '../application/facets.js'
import {
  columnRepresentation,
  filterRepresentation,
  rowRepresentation,
  tableRepresentation,
} from '../application/representations.js'
import { readPage } from '../application/rows.js'
import { readPageSettings, type TableView } from '../application/table-views.js'
import { indexesPending } from '../datasource/indexes.js'
import type { TableInfo } from '../datasource/types.js'
import type { AppEnv } from './env.js'
import { isOwner } from './ownership.js'
import { exactJson, renderPage, wantsJson } from './render.js'
import { readTableQuery, viewStateOf } from './table-query.js'
import { absoluteUrl, tableUrl } from './urls.js'
import { facetsView } from './views/facets-view.js'
import { stateParams } from './views/table-state.js'
import { formatCount, tablePageLinks, tablePageView } from './views/table-view.js'
import { viewTabsView } from './views/view-tabs.js'

export const PER_PAGE = 25

const INDEX_NOTE =
  'This table’s indexes are still being built after its import: until they are, sorting and ' +
  'searching it read every row, and are slow.'

const plural = (n: number, noun: string) => `${formatCount(n)} ${noun}${n === 1 ? '' : 's'}`

// After a redirect, a short note of what just happened (post/redirect/get).
function notice(query: Record<string, string | undefined>): string | null {
  if (/^\d+$/.test(query.deleted ?? '')) return `Deleted ${plural(Number(query.deleted), 'row')}.`
  if (/^\d+$/.test(query.imported ?? ''))
    return `Imported ${plural(Number(query.imported), 'row')}.`
  if (query.saved === 'columns') return 'Saved the default columns.'
  if (query.saved === 'view') return 'Saved the view.'
  return null
}

// Facets, shown and hidden columns may each come as a comma list or repeated.
export function joinedQuery(
  c: Context<AppEnv>,
  query: Record<string, string | undefined>,
): Record<string, string | undefined> {
  const joined = (name: string) => c.req.queries(name)?.join(',') ?? query[name]
  return { ...query, _facet: joined('_facet'), _col: joined('_col'), _nocol: joined('_nocol') }
}

export interface OpenView {
  view: TableView
  // What the view held on columns deleted since.
  dropped: string[]
}

export async function tablePage(
  c: Context<AppEnv>,
  table: TableInfo,
  rawQuery: Record<string, string | undefined>,
  open: OpenView | null,
) {
  const db = c.get('database').db
  const actor = c.get('actor')
  const query = joinedQuery(c, rawQuery)
  // Only the shown columns depend on the owner's default: the rows and the settings are read at once.
  const { search, filters, order, rowOrder, at } = readTableQuery(table, query)
  const [settings, page] = await Promise.all([
    readPageSettings(db, actor, table),
    readPage(db, actor, table, { search, filters, order: rowOrder, at, perPage: PER_PAGE }),
  ])
  const tableQuery = readTableQuery(table, query, settings.shown)
  const { filterProblems, facets } = tableQuery
  const state = { search, filters, facets, order, columnChoice: tableQuery.columnChoice }
  const faceted = await readPageFacets(
    db,
    actor,
    table,
    facets,
    { search, filters },
    page.total,
    settings.distinct,
  )
  const facetView = facetsView(table, state, faceted.facets, faceted.suggested)
  const { views } = settings
  const tabs = viewTabsView(table, views, viewStateOf(tableQuery), open?.view ?? null)

  if (wantsJson(c)) {
    const links = tablePageLinks(table, state, page, 'json')
    const absolute = (path: string) => absoluteUrl(c, path)
    const link = (path: string | null) => (path ? absolute(path) : null)
    return exactJson(c, {
      table: tableRepresentation(table, absolute),
      columns: table.columns.map(columnRepresentation),
      shown_columns: tableQuery.shown.map((column) => column.slug),
      view: open && {
        name: open.view.name,
        slug: open.view.slug,
        url: absolute(tabs.urlOf(open.view)),
        dropped: open.dropped,
      },
      views: views.map((view) => ({
        name: view.name,
        slug: view.slug,
        url: absolute(tabs.urlOf(view)),
      })),
      search,
      filters: filters.map(filterRepresentation),
      filter_problems: filterProblems,
      facets: facetView.facets.map((facet) => ({
        column: facet.slug,
        by: facet.byYear ? 'year' : 'value',
        status: facet.status,
        more: facet.more,
        values: facet.values.map((value) => ({
          value: value.value,
          count: value.exactCount,
          url: absolute(value.url),
        })),
      })),
      suggested_facets: facetView.suggested.map((column) => ({
        column: column.slug,
        url: absolute(column.url),
      })),
      order: query.order && order ? query.order : null,
      total: page.total,
      total_is_estimate: page.estimated,
      page: page.page,
      page_count: page.pageCount,
      per_page: PER_PAGE,
      rows: page.rows.map((row) => rowRepresentation(table, row, absolute)),
      links: {
        self: link(links.self),
        first: link(links.first),
        last: link(links.last),
        previous: link(links.previous),
        next: link(links.next),
      },
    })
  }
  const owner = isOwner(c, table)
  const waiting = await indexesPending(db, table, { search, order: rowOrder })
  return renderPage(c, 'table', {
    indexNote: waiting ? INDEX_NOTE : null,
    ...tablePageView(table, state, page, PER_PAGE, {
      isOwner: owner,
      notice: notice(rawQuery),
      filterProblems,
      facets: facetView,
      shown: tableQuery.shown,
    }),
    viewTabs: tabs,
    openView: open && { name: open.view.name, slug: open.view.slug, dropped: open.dropped },
    saveView: owner
      ? {
          action: `${tableUrl(table.owner.username, table.slug)}/views`,
          name: open?.view.name ?? '',
          // The state as an address's query: the save reads it as the page does.
          query: new URLSearchParams(
            Object.entries(stateParams(state)).filter(([, value]) => value) as [string, string][],
          ).toString(),
        }
      : null,
  })
}
