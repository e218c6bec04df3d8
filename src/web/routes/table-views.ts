// Saved views and default columns: the owner saves them (POST, CSRF-checked); a view has its own
// address, which shows the table page (and its JSON) in the view's state.
import { Hono } from 'hono'
import {
  createView,
  readShownColumns,
  readView,
  removeView,
  saveShownColumns,
} from '../../application/table-views.js'
import { viewQuery } from '../../datasource/table-views.js'
import type { AppEnv } from '../env.js'
import { readForm } from '../forms.js'
import { loadTable } from '../load-table.js'
import { tablePage } from '../table-page.js'
import { readTableQuery, viewStateOf } from '../table-query.js'
import { tableUrl } from '../urls.js'

export const tableViewRoutes = new Hono<AppEnv>()

// What a request may add to a view's own state: where the page is, and the format.
const PAGE_PARAMETERS = ['page', 'after', 'before', 'at', 'format', 'saved']

tableViewRoutes.post('/:username/tables/:table/shown-columns', async (c) => {
  const table = await loadTable(c, 'schema')
  const { fields } = await readForm(c)
  const slugs = (fields.columns ?? '').split(',').map((slug) => slug.trim())
  await saveShownColumns(c.get('database').db, c.get('actor'), table, slugs)
  return c.redirect(tableUrl(table.owner.username, table.slug, { saved: 'columns' }), 303)
})

tableViewRoutes.post('/:username/tables/:table/views', async (c) => {
  const table = await loadTable(c, 'schema')
  const { fields } = await readForm(c)
  const db = c.get('database').db
  const actor = c.get('actor')
  // The state arrives as the page's own query, and is read as the page reads it.
  const query = Object.fromEntries(new URLSearchParams((fields.query ?? '').slice(0, 20_000)))
  const state = viewStateOf(readTableQuery(table, query, await readShownColumns(db, actor, table)))
  const view = await createView(db, actor, table, fields.name ?? '', state)
  const url = `${tableUrl(table.owner.username, table.slug)}/views/${encodeURIComponent(view.slug)}`
  return c.redirect(`${url}?saved=view`, 303)
})

tableViewRoutes.get('/:username/tables/:table/views/:view', async (c) => {
  const table = await loadTable(c)
  const view = await readView(c.get('database').db, c.get('actor'), table, c.req.param('view'))
  const { query, dropped } = viewQuery(table.columns, view.state)
  const request = c.req.query()
  for (const name of PAGE_PARAMETERS) {
    if (request[name] !== undefined) query[name] = request[name]
  }
  return tablePage(c, table, query, { view, dropped })
})

tableViewRoutes.post('/:username/tables/:table/views/:view/delete', async (c) => {
  const table = await loadTable(c, 'schema')
  await removeView(c.get('database').db, c.get('actor'), table, c.req.param('view'))
  return c.redirect(tableUrl(table.owner.username, table.slug), 303)
})
