// Browsing a table: the paginated, searchable, sortable table page and each row's detail page.
import { Hono } from 'hono'
import { readPageFacets } from '../../application/facets.js'
import {
  columnRepresentation,
  filterRepresentation,
  rowRepresentation,
  tableRepresentation,
} from '../../application/representations.js'
import { readPage, readRow } from '../../application/rows.js'
import type { AppEnv } from '../env.js'
import { loadTable } from '../load-table.js'
import { isOwner } from '../ownership.js'
import { exactJson, renderPage, wantsJson } from '../render.js'
import { readTableQuery } from '../table-query.js'
import { absoluteUrl, tableUrl } from '../urls.js'
import { facetsView } from '../views/facets-view.js'
import { filterFormTarget } from '../views/filter-bar.js'
import { formatCount, rowPageView, tablePageLinks, tablePageView } from '../views/table-view.js'

export const PER_PAGE = 25

const plural = (n: number, noun: string) => `${formatCount(n)} ${noun}${n === 1 ? '' : 's'}`

// After a redirect, a short note of what just happened (post/redirect/get).
function notice(query: Record<string, string>): string | null {
  if (/^\d+$/.test(query.deleted ?? '')) return `Deleted ${plural(Number(query.deleted), 'row')}.`
  if (/^\d+$/.test(query.imported ?? ''))
    return `Imported ${plural(Number(query.imported), 'row')}.`
  return null
}

export const tableRoutes = new Hono<AppEnv>()

tableRoutes.get('/:username/tables/:table', async (c) => {
  const table = await loadTable(c)
  // The filter bar's form without JavaScript: to the address with the filter in it.
  const target = filterFormTarget(table, c.req.query())
  if (target) return c.redirect(target, 303)

  // Facets may come as `_facet=a,b` or as `_facet=a&_facet=b`.
  const query = { ...c.req.query(), _facet: c.req.queries('_facet')?.join(',') }
  const { search, filters, filterProblems, facets, order, rowOrder, at } = readTableQuery(
    table,
    query,
  )
  const state = { search, filters, facets, order }
  const db = c.get('database').db
  const page = await readPage(db, c.get('actor'), table, {
    search,
    filters,
    order: rowOrder,
    at,
    perPage: PER_PAGE,
  })
  const faceted = await readPageFacets(db, c.get('actor'), table, facets, { search, filters })
  const facetView = facetsView(table, state, faceted.facets, faceted.suggested)

  if (wantsJson(c)) {
    const links = tablePageLinks(table, state, page, 'json')
    const absolute = (path: string) => absoluteUrl(c, path)
    const link = (path: string | null) => (path ? absolute(path) : null)
    return exactJson(c, {
      table: tableRepresentation(table, absolute),
      columns: table.columns.map(columnRepresentation),
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
      order: c.req.query('order') && order ? c.req.query('order') : null,
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
  return renderPage(
    c,
    'table',
    tablePageView(table, state, page, PER_PAGE, {
      isOwner: isOwner(c, table),
      notice: notice(c.req.query()),
      filterProblems,
      facets: facetView,
    }),
  )
})

tableRoutes.get('/:username/tables/:table/:row{[0-9]+}', async (c) => {
  const table = await loadTable(c)
  const row = await readRow(c.get('database').db, c.get('actor'), table, Number(c.req.param('row')))
  if (wantsJson(c)) {
    const absolute = (path: string) => absoluteUrl(c, path)
    return exactJson(c, {
      ...rowRepresentation(table, row, absolute),
      table: absolute(tableUrl(table.owner.username, table.slug)),
    })
  }
  return renderPage(c, 'row', rowPageView(table, row, isOwner(c, table)))
})
