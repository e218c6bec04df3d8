// Browsing a table: the paginated, searchable, sortable table page and each row's detail page.
import { Hono } from 'hono'
import { linkedFrom } from '../../application/links.js'
import { rowRepresentation } from '../../application/representations.js'
import { readRow } from '../../application/rows.js'
import type { AppEnv } from '../env.js'
import { loadTable } from '../load-table.js'
import { isOwner } from '../ownership.js'
import { exactJson, renderPage, wantsJson } from '../render.js'
import { tablePage } from '../table-page.js'
import { absoluteUrl, tableUrl } from '../urls.js'
import { filterFormTarget } from '../views/filter-bar.js'
import { rowPageView } from '../views/table-view.js'

// The page size, where the benchmark's floor looks for it.
export { PER_PAGE } from '../table-page.js'

export const tableRoutes = new Hono<AppEnv>()

tableRoutes.get('/:username/tables/:table', async (c) => {
  const table = await loadTable(c)
  // The filter bar's form without JavaScript: to the address with the filter in it.
  const target = filterFormTarget(table, c.req.query())
  if (target) return c.redirect(target, 303)
  return tablePage(c, table, c.req.query(), null)
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
  const linking = await linkedFrom(c.get('database').db, c.get('actor'), table, row.id)
  return renderPage(c, 'row', rowPageView(table, row, isOwner(c, table), linking))
})
