// Browsing a table: the paginated, searchable, sortable table page and each row's detail page.
import { Hono } from 'hono'
import {
  columnRepresentation,
  rowRepresentation,
  tableRepresentation,
} from '../../application/representations.js'
import { readPage, readRow } from '../../application/rows.js'
import { indexesPending } from '../../datasource/indexes.js'
import type { AppEnv } from '../env.js'
import { loadTable } from '../load-table.js'
import { isOwner } from '../ownership.js'
import { exactJson, renderPage, wantsJson } from '../render.js'
import { readTableQuery } from '../table-query.js'
import { absoluteUrl, tableUrl } from '../urls.js'
import { formatCount, rowPageView, tablePageLinks, tablePageView } from '../views/table-view.js'

export const PER_PAGE = 25

const INDEX_NOTE =
  'This table’s indexes are still being built after its import: until they are, sorting and ' +
  'searching it read every row, and are slow.'

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

  const { search, order, rowOrder, at } = readTableQuery(table, c.req.query())
  const page = await readPage(c.get('database').db, c.get('actor'), table, {
    search,
    order: rowOrder,
    at,
    perPage: PER_PAGE,
  })

  if (wantsJson(c)) {
    const links = tablePageLinks(table, { search, order }, page, 'json')
    const absolute = (path: string) => absoluteUrl(c, path)
    const link = (path: string | null) => (path ? absolute(path) : null)
    return exactJson(c, {
      table: tableRepresentation(table, absolute),
      columns: table.columns.map(columnRepresentation),
      search,
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
  const waiting = await indexesPending(c.get('database').db, table, { search, order: rowOrder })
  return renderPage(c, 'table', {
    ...tablePageView(table, { search, order }, page, PER_PAGE, {
      isOwner: isOwner(c, table),
      notice: notice(c.req.query()),
    }),
    indexNote: waiting ? INDEX_NOTE : null,
  })
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
