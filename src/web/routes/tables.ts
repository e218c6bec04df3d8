// Browsing a table: the paginated, searchable, sortable table page and each row's detail page.
import { Hono } from 'hono'
import { getRow, listRows } from '../../datasource/rows.js'
import { parseOrder } from '../../lib/ordering.js'
import { parsePage } from '../../lib/pagination.js'
import { normalizeSearch } from '../../lib/search.js'
import type { AppEnv } from '../env.js'
import { loadTable, notFoundError } from '../load-table.js'
import { renderPage, wantsJson } from '../render.js'
import { absoluteUrl, rowUrl, tableUrl } from '../urls.js'
import { rowPageView, rowValues, tablePageLinks, tablePageView } from '../views/table-view.js'

export const PER_PAGE = 25

export const tableRoutes = new Hono<AppEnv>()

tableRoutes.get('/:username/tables/:table', async (c) => {
  const table = await loadTable(c)

  // Read the query: bad values are ignored or clamped, never an error.
  const search = normalizeSearch(c.req.query('search'))
  const order = parseOrder(
    c.req.query('order'),
    table.columns.map((column) => column.slug),
  )
  const column = order ? (table.columns.find((col) => col.slug === order.slug) ?? null) : null
  const page = await listRows(c.get('database').db, table, {
    search,
    order: order && { column, descending: order.descending },
    page: parsePage(c.req.query('page')),
    perPage: PER_PAGE,
  })

  if (wantsJson(c)) {
    const links = tablePageLinks(table, { search, order }, page)
    const absolute = (path: string | null) => (path ? absoluteUrl(c, path) : null)
    return c.json({
      table: {
        name: table.name,
        slug: table.slug,
        owner: table.owner.username,
        description: table.description,
        url: absoluteUrl(c, tableUrl(table.owner.username, table.slug)),
      },
      columns: table.columns.map(({ name, slug, type }) => ({ name, slug, type })),
      search,
      order: c.req.query('order') && order ? c.req.query('order') : null,
      total: page.total,
      page: page.page,
      page_count: page.pageCount,
      per_page: PER_PAGE,
      rows: page.rows.map((row) => ({
        id: row.id,
        url: absoluteUrl(c, rowUrl(table.owner.username, table.slug, row.id)),
        values: rowValues(table, row),
      })),
      links: {
        self: absolute(links.self),
        first: absolute(links.first),
        last: absolute(links.last),
        previous: absolute(links.previous),
        next: absolute(links.next),
      },
    })
  }
  return renderPage(c, 'table', tablePageView(table, { search, order }, page, PER_PAGE))
})

tableRoutes.get('/:username/tables/:table/:row{[0-9]+}', async (c) => {
  const table = await loadTable(c)
  const row = await getRow(c.get('database').db, table, Number(c.req.param('row')))
  if (!row) throw notFoundError('This row')
  if (wantsJson(c)) {
    return c.json({
      id: row.id,
      url: absoluteUrl(c, rowUrl(table.owner.username, table.slug, row.id)),
      table: absoluteUrl(c, tableUrl(table.owner.username, table.slug)),
      values: rowValues(table, row),
    })
  }
  return renderPage(c, 'row', rowPageView(table, row))
})
