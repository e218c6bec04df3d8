// Exporting a whole table in the current search and order: a server-side cursor, CSV and JSON.
import { sql } from 'kysely'
import { formatCsvRow } from '../csv/index.js'
import type { Db } from '../db/database.js'
import { streamInTransaction } from '../db/stream.js'
import { getTableById } from './catalog.js'
import { toJsonValue } from './column-types.js'
import { isFileType, readFileRef } from './file-cells.js'
import { tableRef } from './names.js'
import { RawJson } from './raw-json.js'
import { currentColumns, isUndefinedTable } from './read-columns.js'
import {
  currentOrder,
  orderBy,
  type RawRow,
  type RowOrder,
  searchCondition,
  selectList,
  toRow,
} from './rows.js'
import type { Row, TableInfo } from './types.js'

export const EXPORT_BATCH_ROWS = 5000

export interface ExportQuery {
  search: string
  order: RowOrder | null
}

// Rows arrive a batch at a time from a cursor, so memory stays flat however big the table is.
// Stopping early (`return()`, or `break` in for-await) closes the transaction and its connection.
// Cells follow `table.columns`; a column dropped since the caller read the catalog is empty.
export function exportRows(db: Db, table: TableInfo, query: ExportQuery): AsyncGenerator<Row[]> {
  return streamInTransaction<Row[]>(db, async (trx, emit) => {
    // The lock waits out a column change under way and holds off the next, so the columns read
    // now stay as they are until the export ends (writes go on).
    try {
      await sql`lock table ${tableRef(table.id)} in access share mode`.execute(trx)
    } catch (error) {
      if (isUndefinedTable(error)) return
      throw error
    }
    const current = await getTableById(trx, table.id)
    if (!current) return
    const columns = currentColumns(table, current)
    await sql`declare export_rows no scroll cursor for
      select ${selectList(columns)} from ${tableRef(table.id)}
      where ${searchCondition(columns, query.search)}
      order by ${orderBy(currentOrder(query.order, columns))}`.execute(trx)
    while (true) {
      const { rows } =
        await sql<RawRow>`fetch ${sql.lit(EXPORT_BATCH_ROWS)} from export_rows`.execute(trx)
      if (rows.length > 0) await emit(rows.map((raw) => toRow(columns, raw)))
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
  // A file cell is written as its file name (its storage key is nobody's business).
  const files = table.columns.map((column) => isFileType(column.type))
  const cellsOf = files.includes(true)
    ? (row: Row) =>
        row.cells.map((cell, i) => (files[i] ? (readFileRef(cell)?.name ?? null) : cell))
    : (row: Row) => row.cells
  for await (const rows of batches) {
    yield rows.map((row) => formatCsvRow(cellsOf(row))).join('')
  }
}

// `{"id":1,"slug":value,…}`, written directly: keys quoted once, numbers and JSON spliced in as
// their stored text, so no digit is lost (and no object is built per row).
export function rowJsonWriter(table: TableInfo): (row: Row) => string {
  const keys = table.columns.map((column) => `,${JSON.stringify(column.slug)}:`)
  return (row) => {
    let text = `{"id":${row.id}`
    table.columns.forEach((column, index) => {
      const value = toJsonValue(column.type, row.cells[index] ?? null)
      text += keys[index] + (value instanceof RawJson ? value.text : JSON.stringify(value))
    })
    return `${text}}`
  }
}

// One JSON array of `{ "id": n, slug: value, … }`, written a batch at a time.
export async function* jsonExport(
  table: TableInfo,
  batches: AsyncIterable<Row[]>,
): AsyncGenerator<string> {
  const write = rowJsonWriter(table)
  let separator = '\n'
  yield '['
  for await (const rows of batches) {
    if (rows.length === 0) continue
    yield separator + rows.map(write).join(',\n')
    separator = ',\n'
  }
  yield separator === '\n' ? ']\n' : '\n]\n'
}
