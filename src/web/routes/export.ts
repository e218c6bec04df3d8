// Export a whole table, in the current search, filters, sort and shown columns, as CSV or JSON, streamed with constant memory.
import { Hono } from 'hono'
import { EXPORT_MEDIA_TYPES, exportRows } from '../../application/exports.js'
import { readShownColumns } from '../../application/table-views.js'
import type { AppEnv } from '../env.js'
import { loadTable } from '../load-table.js'
import { joinedQuery } from '../table-page.js'
import { readTableQuery } from '../table-query.js'

export const exportRoutes = new Hono<AppEnv>()

exportRoutes.get('/:username/tables/:table/:file{export\\.(?:csv|json)}', async (c) => {
  const table = await loadTable(c)
  const database = c.get('database')
  const actor = c.get('actor')
  // The columns as the page shows them: `_col`/`_nocol`, else the owner's default set.
  const defaults = await readShownColumns(database.db, actor, table)
  const { search, filters, rowOrder, shown } = readTableQuery(
    table,
    joinedQuery(c, c.req.query()),
    defaults,
  )
  const format = c.req.param('file').endsWith('.csv') ? 'csv' : 'json'
  const chunks = exportRows(
    database,
    actor,
    table,
    { search, filters, order: rowOrder },
    format,
    shown,
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
