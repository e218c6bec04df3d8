// Export a whole table, in the current search, filters and sort, as CSV or JSON, streamed with constant memory.
import { Hono } from 'hono'
import { EXPORT_MEDIA_TYPES, exportRows } from '../../application/exports.js'
import type { AppEnv } from '../env.js'
import { loadTable } from '../load-table.js'
import { readTableQuery } from '../table-query.js'

export const exportRoutes = new Hono<AppEnv>()

exportRoutes.get('/:username/tables/:table/:file{export\\.(?:csv|json)}', async (c) => {
  const table = await loadTable(c)
  const { search, filters, rowOrder } = readTableQuery(table, c.req.query())
  const format = c.req.param('file').endsWith('.csv') ? 'csv' : 'json'
  const chunks = exportRows(
    c.get('database'),
    c.get('actor'),
    table,
    { search, filters, order: rowOrder },
    format,
  )
  c.header('Content-Type', EXPORT_MEDIA_TYPES[format])
  c.header('Content-Disposition', `attachment; filename="${table.slug}.${format}"`)
  // Pulled, not pushed: the next chunk is read only when the client has taken the last one, so
  // memory stays flat however slow the client; a client that goes away stops the query.
  const body = new ReadableStream<Uint8Array>({
    async pull(controller) {
      const next = await chunks.next()
      if (next.done) controller.close()
      else controller.enqueue(next.value)
    },
    async cancel() {
      await chunks.return(undefined)
    },
  })
  return c.body(body)
})
