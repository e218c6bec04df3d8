// A table's API tab: its addresses, and examples to copy that use its real columns.
import { Hono } from 'hono'
import type { AppEnv } from '../env.js'
import { loadTable } from '../load-table.js'
import { isOwner } from '../ownership.js'
import { renderPage } from '../render.js'
import { origin } from '../urls.js'
import { apiExamples } from '../views/api-examples.js'
import { tableNav } from '../views/table-nav.js'

export const tableApiRoutes = new Hono<AppEnv>()

tableApiRoutes.get('/:username/tables/:table/api', async (c) => {
  const table = await loadTable(c)
  return renderPage(c, 'table-api', {
    title: `API · ${table.name}`,
    nav: tableNav(table, 'api', isOwner(c, table)),
    isPublic: table.isPublic,
    examples: apiExamples(table, origin(c)),
  })
})
