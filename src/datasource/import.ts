// Bulk loading: validated CSV records stream into a user table through COPY, all or nothing.
import { sql } from 'kysely'
import { type CsvRecord, CsvSyntaxError } from '../csv/index.js'
import type { Database, Db } from '../db/database.js'
import { ColumnChangeError } from './column-errors.js'
import { cellColumns, isLinkList } from './column-type/link.js'
import { type ColumnType, definitionOf, parseValue } from './column-types.js'
import { formatCopyField } from './copy-text.js'
import { createIndexes } from './ddl.js'
import { ImportError } from './import-error.js'
import { type LinkResolver, linkResolvers } from './import-links.js'
import { buildIndexes, DEFERRED_INDEX_ROWS, type IndexBuildTime } from './indexes.js'
import { ImportedLinks, lastRowId, writeImportedLinks } from './link-list-import.js'
import { columnRef, tableRef } from './names.js'
import { confirmGone, lockForRowWrites, TableGoneError } from './table-locks.js'
import { TableSettingsError } from './table-names.js'
import { insertTable, type NewTable, touchTable } from './tables.js'
import type { ColumnInfo, TableInfo } from './types.js'

const CHUNK_CHARS = 1 << 20

export { ImportError } from './import-error.js'

// A CSV file that cannot be read, as the import's own error: "line 3: a quoted value has no…".
export function csvImportError(error: CsvSyntaxError): ImportError {
  const reason = error.message.replace(/ \(line \d+\)$/, '')
  return new ImportError(error.line, null, reason.charAt(0).toLowerCase() + reason.slice(1))
}

// Records, with a file's syntax errors given as ImportError.
export async function* readableRecords<T>(records: AsyncIterable<T>): AsyncGenerator<T> {
  try {
    yield* records
  } catch (error) {
    throw error instanceof CsvSyntaxError ? csvImportError(error) : error
  }
}

// Values already in the one form Postgres reads exactly as the app would are sent as they are:
// Postgres checks them as it copies (a range, a calendar date), and its refusal is mapped back to the
// file's line and the column's name (copyRefusal). Anything else is parsed here first.
const AS_IS: Partial<Record<ColumnType, RegExp>> = {
  integer: /^-?\d{1,19}$/,
  decimal: /^-?\d{1,20}(?:\.\d{1,20})?$/,
  date: /^\d{4}-\d{2}-\d{2}$/,
  boolean: /^(?:true|false)$/,
}

// The file's line of each row sent to COPY, in order: COPY numbers rows (not lines) from 1.
export class SentLines {
  private lines = new Uint32Array(1024)
  count = 0
  add(line: number): void {
    if (this.count === this.lines.length) {
      const grown = new Uint32Array(this.lines.length * 2)
      grown.set(this.lines)
      this.lines = grown
    }
    this.lines[this.count++] = line
  }
  fileLine(copyRow: number): number | null {
    return copyRow >= 1 && copyRow <= this.count ? (this.lines[copyRow - 1] ?? null) : null
  }
  // Postgres checks links once COPY has read every row, so its refusal names a value, not a row:
  // the first line of each link value is kept (up to a bound) to name it.
  private links = new Map<string, number>()
  addLink(columnId: number, value: string, line: number): void {
    const key = `${columnId}:${value}`
    if (this.links.size < MAX_LINK_VALUES && !this.links.has(key)) this.links.set(key, line)
  }
  linkLine(columnId: number, value: string): number | null {
    return this.links.get(`${columnId}:${value}`) ?? null
  }
}

const MAX_LINK_VALUES = 100_000

// `targets[i]` receives field i of each record; null skips that field. Each row is written straight
// into COPY's text format, a value as it is when AS_IS says so (digits, dashes and letters need no
// escape), else parsed and escaped: no array or closure per row (a third of the import's JavaScript
// time went to them and the garbage they left).
export async function* copyChunks(
  records: AsyncIterable<CsvRecord>,
  targets: (ColumnInfo | null)[],
  sent: SentLines,
  lists: ImportedLinks,
  links: ReadonlyMap<number, LinkResolver>,
): AsyncGenerator<string> {
  const used = targets.flatMap((column, index) =>
    column && !isLinkList(column)
      ? [{ column, index, asIs: AS_IS[column.type] ?? null, link: links.get(column.id) ?? null }]
      : [],
  )
  const listed = targets.flatMap((column, index) =>
    column && isLinkList(column) ? [{ column, index }] : [],
  )
  const width = targets.length
  let chunk = ''
  for await (const record of readableRecords(records)) {
    const fields = record.fields
    if (fields.length !== width) {
      throw new ImportError(
        record.line,
        null,
        `expected ${width} values but found ${fields.length}`,
      )
    }
    let line = ''
    for (let i = 0; i < used.length; i++) {
      const { column, index, asIs, link } = used[i] as (typeof used)[number]
      const field = fields[index] ?? ''
      if (i > 0) line += '\t'
      if (asIs?.test(field)) {
        line += field
        continue
      }
      const parsed = link ? link.resolve(field) : parseValue(column.type, field, column.choices)
      if (!parsed.ok) throw new ImportError(record.line, column.name, parsed.message)
      if (parsed.value === null && column.required) {
        throw new ImportError(record.line, column.name, 'A value is required')
      }
      if (column.link && parsed.value !== null) sent.addLink(column.id, parsed.value, record.line)
      line += formatCopyField(parsed.value)
    }
    sent.add(record.line)
    for (const { column, index } of listed) {
      lists.add(column, sent.count, record.line, fields[index] ?? '')
    }
    // A table whose only columns are lists still gets a row: its version.
    chunk += used.length ? `${line}\n` : '1\n'
    if (chunk.length >= CHUNK_CHARS) {
      yield chunk
      chunk = ''
    }
  }
  if (chunk) yield chunk
}

const COPY_CONTEXT = /\bCOPY \S+, line (\d+)(?:, column c(\d+))?/

// Where in the file Postgres refused a row: its line and, for a value, the column's name and type.
function copyRefusal(error: { where?: string }, table: TableInfo, sent: SentLines) {
  const match = COPY_CONTEXT.exec(error.where ?? '')
  if (!match) return { line: null, column: null }
  const column = match[2] ? table.columns.find((c) => c.id === Number(match[2])) : undefined
  return { line: sent.fileLine(Number(match[1])), column: column ?? null }
}

// Database errors that a bad file can cause, turned into a message for the person importing.
function explainCopyError(error: unknown, table: TableInfo, sent: SentLines): never {
  const pgError = error as { code?: string; detail?: string; message?: string; where?: string }
  const { line, column } = copyRefusal(pgError, table, sent)
  // A value Postgres could not read as its column's type: the type's own message.
  if (column && pgError.code?.startsWith('22')) {
    throw new ImportError(line, column.name, definitionOf(column.type).typeMessage)
  }
  // Postgres names physical columns (c7) and tables (t2); the person importing knows names.
  const readable = (text: string) =>
    text
      .replace(/ of relation "t\d+"/g, '')
      .replace(
        /\bc(\d+)\b/g,
        (_, id) => table.columns.find((c) => c.id === Number(id))?.name ?? 'a column',
      )
  const link = /^Key \(c(\d+)\)=\((\d+)\)/.exec(pgError.detail ?? '')
  const linkColumn = link && table.columns.find((c) => c.id === Number(link[1]))
  if (pgError.code === '23503' && link && linkColumn) {
    throw new ImportError(
      sent.linkLine(linkColumn.id, link[2] as string),
      linkColumn.name,
      `no row of the linked table has id ${link[2]}`,
    )
  }
  if (pgError.code === '23505') {
    throw new ImportError(
      line,
      null,
      `a value is already used by another row (${readable(pgError.detail ?? '')})`,
    )
  }
  if (pgError.code?.startsWith('22') || pgError.code?.startsWith('23')) {
    throw new ImportError(
      line,
      null,
      readable(pgError.message ?? 'a value was refused by the database'),
    )
  }
  throw error
}

// Appends records inside `trx`; the caller's transaction makes it all-or-nothing.
export async function copyRecords(
  database: Database,
  trx: Db,
  table: TableInfo,
  records: AsyncIterable<CsvRecord>,
  targets: (ColumnInfo | null)[],
): Promise<number> {
  const columns = cellColumns(targets.filter((column): column is ColumnInfo => column !== null))
  // With no cell to fill (only several-links columns), each row is sent as its version.
  const copied = columns.length ? sql.join(columns.map((c) => columnRef(c.id))) : sql`_version`
  const copySql = sql`copy ${tableRef(table.id)} (${copied})
    from stdin with (format text)`.compile(trx).sql
  let count: number
  const sent = new SentLines()
  const lists = new ImportedLinks()
  const lastId = targets.some(isLinkList) ? await lastRowId(trx, table.id) : 0
  try {
    const links = await linkResolvers(trx, targets)
    count = await database.copyIn(trx, copySql, copyChunks(records, targets, sent, lists, links))
  } catch (error) {
    if (error instanceof ImportError) throw error
    explainCopyError(error, table, sent)
  }
  await writeImportedLinks(trx, table, lists, lastId)
  await touchTable(trx, table.id, count)
  return count
}

export interface NewTableImport {
  table: TableInfo
  rows: number
  // Settles when the table's indexes are built, with what each took (it never rejects: failures
  // are reported).
  indexing: Promise<IndexBuildTime[]>
}

export { DEFERRED_INDEX_ROWS } from './indexes.js'

// Indexes are built once over the loaded rows, which beats updating them row by row during COPY.
// On Postgres a big import's indexes are built after its rows commit, concurrently, so it is done
// at COPY speed and its table readable at once (sorts and searches are fast once indexing settles;
// scripts/migrate finishes any build cut short, see ensureIndexes). Smaller imports, and PGlite,
// build them in the import's own transaction.
export async function importNewTable(
  database: Database,
  input: NewTable,
  records: AsyncIterable<CsvRecord>,
): Promise<NewTableImport> {
  const { table, rows, deferred } = await database.db.transaction().execute(async (trx) => {
    const table = await insertTable(trx, input, { indexes: false }).catch(refusedTable)
    const rows = await copyRecords(database, trx, table, records, table.columns)
    const deferred = database.kind === 'postgres' && rows >= DEFERRED_INDEX_ROWS
    if (!deferred) {
      await sql`set local maintenance_work_mem = '128MB'`.execute(trx)
      await createIndexes(trx, table.id, table.columns)
    }
    return { table: { ...table, rowCount: rows }, rows, deferred }
  })
  const indexing = deferred ? buildIndexes(database.db, table) : Promise.resolve([])
  return { table, rows, indexing }
}

// What insertTable refuses (a name, a column, too many columns), said as the import's error.
function refusedTable(error: unknown): never {
  if (error instanceof ColumnChangeError || error instanceof TableSettingsError) {
    const reason = error.message.charAt(0).toLowerCase() + error.message.slice(1)
    throw new ImportError(null, null, reason)
  }
  throw error
}

// The targets as the table has them now: the columns may have changed since they were matched.
function currentTargets(current: TableInfo, targets: (ColumnInfo | null)[]): (ColumnInfo | null)[] {
  return targets.map((target) => {
    if (!target) return null
    const column = current.columns.find((candidate) => candidate.id === target.id)
    if (!column) {
      throw new ImportError(
        null,
        target.name,
        'this column was deleted while the file was being imported',
      )
    }
    return column
  })
}

// Takes the lock row writes take, so a column change waits for the import (or the import for it),
// and checks each value by its column as it is then.
export async function appendRecords(
  database: Database,
  table: TableInfo,
  records: AsyncIterable<CsvRecord>,
  targets: (ColumnInfo | null)[],
): Promise<number> {
  try {
    return await database.db.transaction().execute(async (trx) => {
      const current = await lockForRowWrites(trx, table.id)
      return copyRecords(database, trx, current, records, currentTargets(current, targets))
    })
  } catch (error) {
    if (error instanceof TableGoneError) {
      await confirmGone(database.db, error)
      throw new ImportError(null, null, 'the table was deleted')
    }
    throw error
  }
}
