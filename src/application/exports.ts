// Exporting a table for an actor, as CSV or JSON: the rows of the page's query, streamed.
import { type ExportFormat, exportFile } from '../datasource/export.js'
import type { RowSelection } from '../datasource/list-rows.js'
import type { ColumnInfo, TableInfo } from '../datasource/types.js'
import type { Database } from '../db/database.js'
import { requireAccess } from './access.js'
import type { Actor } from './actor.js'
import { linksSeenBy } from './links.js'

export type { ExportFormat } from '../datasource/export.js'

export const EXPORT_MEDIA_TYPES: Record<ExportFormat, string> = {
  csv: 'text/csv; charset=utf-8',
  json: 'application/json; charset=utf-8',
}

// The file's bytes, with the `shown` columns (null: all); stopping early (`return()`) stops the query and frees its connection.
export function exportRows(
  database: Database,
  actor: Actor,
  table: TableInfo,
  query: RowSelection,
  format: ExportFormat,
  shown: readonly ColumnInfo[] | null = null,
): AsyncGenerator<Uint8Array> {
  requireAccess(actor, table, 'read')
  return exportSeen(database, actor, table, query, format, shown)
}

// Searched, filtered and sorted by the link display values the actor may see.
async function* exportSeen(
  database: Database,
  actor: Actor,
  table: TableInfo,
  query: RowSelection,
  format: ExportFormat,
  shown: readonly ColumnInfo[] | null,
): AsyncGenerator<Uint8Array> {
  const seen = await linksSeenBy(database.db, actor, table)
  yield* exportFile(database, seen, query, format, shown)
}
