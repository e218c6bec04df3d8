// Browsing a table: the paginated, searchable, sortable table page and each row's detail page.
import { type Context, Hono } from 'hono'
import { listRows } from '../../datasource/list-rows.js'
import { stringifyExact } from '../../datasource/raw-json.js'
import { getRow } from '../../datasource/rows.js'
import type { AppEnv } from '../env.js'
import { loadTable, notFoundError } from '../load-table.js'
import { isOwner } from '../ownership.js'
import { renderPage, wantsJson } from '../render.js'
import { readTableQuery } from '../table-query.js'
import { absoluteUrl, rowUrl, tableUrl } from '../urls.js'
import {
  formatCount,
  rowPageView,
  rowValues,
  tablePageLinks,
  tablePageView,
  truncatedSlugs,
} from '../views/table-view.js'

export const PER_PAGE = 25

const plural = (n: number, noun: string) => `${formatCount(n)} ${noun}${n === 1 ? '' : 's'}`

// After a redirect, a short note of what just happened (post/redirect/get).
function notice(query: Record<string, string>): string | null {
  if (/^\d+$/.test(query.deleted ?? '')) return `Deleted ${plural(Number(query.deleted), 'row')}.`
  if (/^\d+$/.test(query.imported ?? ''))
    return `Imported ${plural(Number(query.imported), 'row')}.`
  return null
}

// Written with stringifyExact, so big numbers and JSON values keep every digit.
const exactJson = (c: Context, value: unknown) =>
  c.body(stringifyExact(value), 200, { 'Content-Type': 'application/json' })

export const tableRoutes = new Hono<AppEnv>()

tableRoutes.get('/:username/tables/:table', async (c) => {
  const table = await loadTable(c)

  const { search, order, rowOrder, at } = readTableQuery(table, c.req.query())
  const page = await listRows(c.get('database').db, table, {
    search,
    order: rowOrder,
    at,
    perPage: PER_PAGE,
  })

  if (wantsJson(c)) {
    const links = tablePageLinks(table, { search, order }, page, 'json')
    const absolute = (path: string | null) => (path ? absoluteUrl(c, path) : null)
    return exactJson(c, {
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
      total_is_estimate: page.estimated,
      page: page.page,
      page_count: page.pageCount,
      per_page: PER_PAGE,
      rows: page.rows.map((row) => ({
        id: row.id,
        url: absoluteUrl(c, rowUrl(table.owner.username, table.slug, row.id)),
        values: rowValues(table, row),
        truncated: truncatedSlugs(table, row),
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
  return renderPage(
    c,
    'table',
    tablePageView(table, { search, order }, page, PER_PAGE, {
      isOwner: isOwner(c, table),
      notice: notice(c.req.query()),
    }),
  )
})

tableRoutes.get('/:username/tables/:table/:row{[0-9]+}', async (c) => {
  const table = await loadTable(c)
  const row = await getRow(c.get('database').db, table, Number(c.req.param('row')))
  if (!row) throw notFoundError('This row')
  if (wantsJson(c)) {
    return exactJson(c, {
      id: row.id,
      url: absoluteUrl(c, rowUrl(table.owner.username, table.slug, row.id)),
      table: absoluteUrl(c, tableUrl(table.owner.username, table.slug)),
      values: rowValues(table, row),
    })
  }
  return renderPage(c, 'row', rowPageView(table, row, isOwner(c, table)))
})
