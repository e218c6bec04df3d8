// Export a whole table, in the current search and sort, as CSV or JSON, streamed with constant memory.
import { Hono } from 'hono'
import { stream } from 'hono/streaming'
import { csvExport, exportRows, jsonExport } from '../../datasource/export.js'
import type { AppEnv } from '../env.js'
import { loadTable } from '../load-table.js'
import { readTableQuery } from '../table-query.js'

export const exportRoutes = new Hono<AppEnv>()

exportRoutes.get('/:username/tables/:table/:file{export\\.(?:csv|json)}', async (c) => {
  const table = await loadTable(c)
  const { search, rowOrder } = readTableQuery(table, c.req.query())
  const batches = exportRows(c.get('database').db, table, {
    search,
    order: rowOrder,
  })
  const format = c.req.param('file').endsWith('.csv') ? 'csv' : 'json'
  const chunks = format === 'csv' ? csvExport(table, batches) : jsonExport(table, batches)
  c.header(
    'Content-Type',
    format === 'csv' ? 'text/csv; charset=utf-8' : 'application/json; charset=utf-8',
  )
  c.header('Content-Disposition', `attachment; filename="${table.slug}.${format}"`)
  return stream(c, async (out) => {
    out.onAbort(() => {
      void chunks.return(undefined)
    })
    for await (const chunk of chunks) await out.write(chunk)
  })
})
