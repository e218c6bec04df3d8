// Export a whole table, in the current search, filters and sort, as CSV or JSON, streamed with constant memory.
import { Hono } from 'hono'
import { csvExport, exportRows, jsonExport } from '../../datasource/export.js'
import type { AppEnv } from '../env.js'
import { loadTable } from '../load-table.js'
import { readTableQuery } from '../table-query.js'

export const exportRoutes = new Hono<AppEnv>()

exportRoutes.get('/:username/tables/:table/:file{export\\.(?:csv|json)}', async (c) => {
  const table = await loadTable(c)
  const { search, filters, rowOrder } = readTableQuery(table, c.req.query())
  const batches = exportRows(c.get('database').db, table, {
    search,
    filters,
    order: rowOrder,
  })
  const format = c.req.param('file').endsWith('.csv') ? 'csv' : 'json'
  const chunks = format === 'csv' ? csvExport(table, batches) : jsonExport(table, batches)
  c.header(
    'Content-Type',
    format === 'csv' ? 'text/csv; charset=utf-8' : 'application/json; charset=utf-8',
  )
  c.header('Content-Disposition', `attachment; filename="${table.slug}.${format}"`)
  // Pulled, not pushed: the next batch is read only when the client has taken the last one, so
  // memory stays flat however slow the client; a client that goes away ends the cursor.
  const encoder = new TextEncoder()
  const body = new ReadableStream<Uint8Array>({
    async pull(controller) {
      const next = await chunks.next()
      if (next.done) controller.close()
      else controller.enqueue(encoder.encode(next.value))
    },
    async cancel() {
      await chunks.return(undefined)
    },
  })
  return c.body(body)
})
