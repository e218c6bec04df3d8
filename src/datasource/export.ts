// Exporting a whole table in the page's search, filters and order: Postgres writes the CSV or the
// JSON itself (COPY … TO STDOUT), and the bytes are streamed at the reader's pace.

import { type RawBuilder, sql } from 'kysely'
import { formatCsvRow } from '../csv/index.js'
import type { Database, Db } from '../db/database.js'
import { streamInTransaction } from '../db/stream.js'
import { getTableById } from './catalog.js'
import { isLinkList } from './column-type/link.js'
import { type ColumnType, selectAsText } from './column-types.js'
import { isFileType } from './file-cells.js'
import { inlineSql } from './inline-sql.js'
import { linkListCsvSql, linkListJsonSql } from './link-lists.js'
import type { RowSelection } from './list-rows.js'
import { columnRef, tableRef } from './names.js'
import { currentColumns, isUndefinedTable, type ReadColumns } from './read-columns.js'
import { currentOrder, matchCondition, orderBy } from './rows.js'
import type { ColumnInfo, TableInfo } from './types.js'

export type ExportFormat = 'csv' | 'json'

const MAX_SAFE = sql.lit(Number.MAX_SAFE_INTEGER)

// How each type's text becomes JSON: a number (integers past 2^53 as strings), as it is (booleans and
// JSON, whose text is JSON already), a JSON string, or a file's public part (never its storage keys).
const JSON_FORM: Record<ColumnType, 'integer' | 'decimal' | 'as-is' | 'string' | 'file'> = {
  integer: 'integer',
  decimal: 'decimal',
  boolean: 'as-is',
  json: 'as-is',
  text: 'string',
  long_text: 'string',
  choice: 'string',
  email: 'string',
  url: 'string',
  date: 'string',
  datetime: 'string',
  file: 'file',
  image: 'file',
  // A link is written as the linked row's id.
  link: 'integer',
}

// A file cell as the JSON pages show it: name, sniffed type, size, and an image's pixels.
const publicFileSql = (cell: RawBuilder<unknown>) =>
  sql`case when ${cell} is not null then jsonb_strip_nulls(jsonb_build_object(
    'name', ${cell} -> 'name', 'type', ${cell} -> 'type', 'size', ${cell} -> 'size',
    'width', ${cell} -> 'width', 'height', ${cell} -> 'height'))::text end`

// A value as JSON text, in SQL: as `toJsonValue` writes it (numbers with every digit), never NULL
// (`null`).
function jsonValueSql(type: ColumnType, column: RawBuilder<unknown>): RawBuilder<unknown> {
  const text = selectAsText(type, column)
  const form = JSON_FORM[type]
  const value =
    form === 'integer'
      ? sql`case when ${column} between -${MAX_SAFE} and ${MAX_SAFE} then ${text}
          else '"' || ${text} || '"' end`
      : form === 'decimal'
        ? sql`case when ${text} ~ '^-?[0-9]' then ${text} else to_json(${text})::text end`
        : form === 'as-is'
          ? text
          : form === 'file'
            ? publicFileSql(column)
            : sql`to_json(${text})::text`
  return sql`coalesce(${value}, 'null')`
}

// A cell as CSV text: a file by its name (its storage key is nobody's business).
const csvValueSql = (type: ColumnType, column: RawBuilder<unknown>) =>
  isFileType(type) ? sql`${column} ->> 'name'` : selectAsText(type, column)

// Several links are written as their ids, `3,7,12`, read from their junction table.
const csvCellSql = (column: ColumnInfo) =>
  isLinkList(column) ? linkListCsvSql(column) : csvValueSql(column.type, columnRef(column.id))

// The columns a file holds: those shown (all, when none are chosen), in the table's order, each as
// the catalog has it now (null: dropped since).
type Written = { info: ColumnInfo; column: ColumnInfo | null | undefined }[]

function writtenColumns(
  table: TableInfo,
  columns: ReadColumns,
  shown: readonly ColumnInfo[] | null,
): Written {
  const ids = shown && new Set(shown.map((column) => column.id))
  return table.columns
    .map((info, index) => ({ info, column: columns[index] }))
    .filter(({ info }) => !ids || ids.has(info.id))
}

const shownColumns = (table: TableInfo, shown: readonly ColumnInfo[] | null) =>
  writtenColumns(table, table.columns, shown).map(({ info }) => info)

// One line per row: the values as text (NULL stays NULL: an empty field), in CSV.
function csvSelect(written: Written): RawBuilder<unknown> {
  // No columns: an empty line per row (`''` would be written as `""`).
  if (written.length === 0) return sql`null::text`
  // Aliased: an output column named `c7` would be what `order by c7` sorts by, as text.
  return sql.join(
    written.map(
      ({ column }, index) =>
        sql`${column ? csvCellSql(column) : sql`null::text`} as ${sql.id(`v${index}`)}`,
    ),
  )
}

// One line per row: `,{"id":1,"slug":value,…}`. Keys are string literals, never identifiers; the
// leading comma separates rows, and the first row's is dropped.
function jsonSelect(written: Written): RawBuilder<unknown> {
  const parts = written.map(({ info, column }) => {
    const key = sql.lit(`,${JSON.stringify(info.slug)}:`)
    const value = column
      ? isLinkList(column)
        ? linkListJsonSql(column)
        : jsonValueSql(column.type, columnRef(column.id))
      : sql`'null'`
    return sql`${key} || ${value}`
  })
  return sql.join([sql`',{"id":' || id`, ...parts, sql`'}'`], sql` || `)
}

// JSON text holds no raw control characters, so with these as delimiter and quote COPY's CSV mode
// writes each line as it is.
const JSON_LINES = sql.raw(`with (format csv, delimiter E'\\x01', quote E'\\x02')`)

export function exportSql(
  db: Db,
  table: TableInfo,
  columns: ReadColumns,
  query: RowSelection,
  format: ExportFormat,
  shown: readonly ColumnInfo[] | null = null,
): string {
  const written = writtenColumns(table, columns, shown)
  const select = format === 'csv' ? csvSelect(written) : jsonSelect(written)
  const copy = sql`copy (select ${select} from ${tableRef(table.id)}
    where ${matchCondition(columns, query)}
    order by ${orderBy(currentOrder(query.order, columns))})
    to stdout ${format === 'csv' ? sql`with (format csv)` : JSON_LINES}`
  return inlineSql(db, copy)
}

const encoder = new TextEncoder()

// The file a chunk at a time. Stopping early (`return()`, or `break` in for-await) cancels the query
// and frees its connection. Cells follow `table.columns` (those of them `shown`, if given; search,
// filters and order still see every column); a column dropped since is empty.
export async function* exportFile(
  database: Database,
  table: TableInfo,
  query: RowSelection,
  format: ExportFormat,
  shown: readonly ColumnInfo[] | null = null,
): AsyncGenerator<Uint8Array> {
  yield encoder.encode(
    format === 'csv' ? formatCsvRow(shownColumns(table, shown).map((column) => column.name)) : '[',
  )
  let first = true
  for await (const chunk of copyRows(database, table, query, format, shown)) {
    if (format === 'json' && first && chunk.length > 0) {
      first = false
      yield encoder.encode('\n')
      yield chunk.subarray(1)
    } else yield chunk
  }
  if (format === 'json') yield encoder.encode(']\n')
}

function copyRows(
  database: Database,
  table: TableInfo,
  query: RowSelection,
  format: ExportFormat,
  shown: readonly ColumnInfo[] | null,
): AsyncGenerator<Uint8Array> {
  return streamInTransaction<Uint8Array>(database.db, async (trx, emit) => {
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
    await database.copyOut(trx, exportSql(trx, table, columns, query, format, shown), emit)
  })
}
