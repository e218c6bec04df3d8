// Exporting a whole table in the current search and order: a server-side cursor, CSV and JSON.
import { sql } from 'kysely'
import { formatCsvRow } from '../csv/index.js'
import type { Db } from '../db/database.js'
import { streamInTransaction } from '../db/stream.js'
import { toJsonValue } from './column-types.js'
import { tableRef } from './names.js'
import { orderBy, type RawRow, type RowOrder, searchCondition, selectList, toRow } from './rows.js'
import type { Row, TableInfo } from './types.js'

export const EXPORT_BATCH_ROWS = 5000

export interface ExportQuery {
  search: string
  order: RowOrder | null
}

// Rows arrive a batch at a time from a cursor, so memory stays flat however big the table is.
// Stopping early (`return()`, or `break` in for-await) closes the transaction and its connection.
export function exportRows(db: Db, table: TableInfo, query: ExportQuery): AsyncGenerator<Row[]> {
  return streamInTransaction<Row[]>(db, async (trx, emit) => {
    await sql`declare export_rows no scroll cursor for
      select ${selectList(table)} from ${tableRef(table.id)}
      where ${searchCondition(table, query.search)}
      order by ${orderBy(query.order)}`.execute(trx)
    while (true) {
      const { rows } =
        await sql<RawRow>`fetch ${sql.lit(EXPORT_BATCH_ROWS)} from export_rows`.execute(trx)
      if (rows.length > 0) await emit(rows.map((raw) => toRow(table, raw)))
      if (rows.length < EXPORT_BATCH_ROWS) break
    }
    await sql`close export_rows`.execute(trx)
  })
}

// A header of column names, then one line per row; NULL is an empty field, '' is `""`.
export async function* csvExport(
  table: TableInfo,
  batches: AsyncIterable<Row[]>,
): AsyncGenerator<string> {
  yield formatCsvRow(table.columns.map((column) => column.name))
  for await (const rows of batches) {
    yield rows.map((row) => formatCsvRow(row.cells)).join('')
  }
}

// One JSON array of `{ "id": n, slug: value, … }`, written a batch at a time.
export async function* jsonExport(
  table: TableInfo,
  batches: AsyncIterable<Row[]>,
): AsyncGenerator<string> {
  let separator = '\n'
  yield '['
  for await (const rows of batches) {
    if (rows.length === 0) continue
    const objects = rows.map((row) => {
      const object: Record<string, unknown> = { id: row.id }
      table.columns.forEach((column, index) => {
        object[column.slug] = toJsonValue(column.type, row.cells[index] ?? null)
      })
      return JSON.stringify(object)
    })
    yield separator + objects.join(',\n')
    separator = ',\n'
  }
  yield separator === '\n' ? ']\n' : '\n]\n'
}
