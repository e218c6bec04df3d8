// Cells that hold a file (File and Image columns): the reference a cell stores, writing one after
// an upload, and the queue of stored objects to delete once the change that let go of them commits.
import { sql } from 'kysely'
import * as v from 'valibot'
import type { Db } from '../db/database.js'
import { FILE_TYPES, isFileType } from './column-type/file.js'
import { columnRef, physicalColumnName, tableRef } from './names.js'
import { lockForRowWrites, retryingRaces, TableGoneError } from './table-locks.js'
import { touchTable } from './tables.js'
import type { ColumnInfo, TableInfo } from './types.js'

export { FILE_TYPES, isFileType }

export const fileColumns = (columns: readonly ColumnInfo[]) =>
  columns.filter((column) => isFileType(column.type))

// What a cell stores: where the bytes are, what they are (sniffed, never what the client said),
// and for images their size in pixels and the thumbnail's key.
export const FileRefSchema = v.object({
  key: v.string(),
  name: v.string(),
  type: v.string(),
  size: v.number(),
  width: v.optional(v.number()),
  height: v.optional(v.number()),
  thumbnail: v.optional(v.string()),
})
export type FileRef = v.InferOutput<typeof FileRefSchema>

export function readFileRef(text: string | null): FileRef | null {
  if (text === null) return null
  try {
    const parsed = v.safeParse(FileRefSchema, JSON.parse(text))
    return parsed.success ? parsed.output : null
  } catch {
    return null
  }
}

// The trigger that queues the files of deleted rows and replaced or cleared cells; made again
// whenever the table's file columns change, and dropped when it has none.
export async function syncFileTrigger(trx: Db, tableId: number, columns: readonly ColumnInfo[]) {
  const name = sql.id(`t${tableId}_files`)
  await sql`drop trigger if exists ${name} on ${tableRef(tableId)}`.execute(trx)
  const files = fileColumns(columns)
  if (files.length === 0) return
  const args = sql.join(files.map((column) => sql.lit(physicalColumnName(column.id))))
  await sql`create trigger ${name} after update or delete on ${tableRef(tableId)}
    for each row execute function public.queue_file_deletions(${args})`.execute(trx)
}

// Before a column or table is dropped (which fires no trigger): queue every file it holds.
export async function queueColumnFiles(trx: Db, tableId: number, columnIds: readonly number[]) {
  for (const id of columnIds) {
    const cell = columnRef(id)
    await sql`insert into file_deletions (key)
      select k from ${tableRef(tableId)},
        lateral (values (${cell} ->> 'key'), (${cell} ->> 'thumbnail')) as v (k)
      where ${cell} is not null and k is not null
      on conflict do nothing`.execute(trx)
  }
}

// Queues every file of a table that is about to be dropped (its catalog rows say which columns).
export async function queueTableFiles(trx: Db, tableId: number) {
  const columns = await trx
    .selectFrom('columns')
    .select('id')
    .where('table_id', '=', tableId)
    .where('type', 'in', [...FILE_TYPES])
    .execute()
  await queueColumnFiles(
    trx,
    tableId,
    columns.map((column) => column.id),
  )
}

// How long an upload may take between reserving its keys and committing its reference. A process
// that dies in between (or a write that fails) leaves the reservation, so the objects go after it.
export const UPLOAD_RESERVATION_MS = 60 * 60 * 1000

// Before an upload is stored: its keys are queued for deletion, due only after the reservation,
// in a statement of their own that commits at once. The write that refers to them takes them off
// the queue in its own transaction, so a stored object is either referred to or queued.
export async function reserveKeys(db: Db, keys: readonly string[], ms = UPLOAD_RESERVATION_MS) {
  await sql`insert into file_deletions (key, queued_at)
    select k, now() + ${`${ms} milliseconds`}::interval from unnest(${keys}::text[]) as k
    on conflict do nothing`.execute(db)
}

// Writes a reference (or null) into a file cell of a row, as a row write: the row's version goes
// up, the file it held before is queued for deletion by the trigger, and the new reference's keys
// leave the queue. Null: no such row, file column or table (any more).
export async function setFileCell(
  db: Db,
  table: TableInfo,
  rowId: number,
  columnId: number,
  ref: FileRef | null,
): Promise<{ version: number } | null> {
  try {
    return await retryingRaces(() =>
      db.transaction().execute(async (trx) => {
        const current = await lockForRowWrites(trx, table.id)
        const column = current.columns.find((candidate) => candidate.id === columnId)
        if (!column || !isFileType(column.type)) return null
        const value = ref === null ? null : JSON.stringify(ref)
        const { rows } = await sql<{ _version: number }>`update ${tableRef(table.id)}
          set ${columnRef(columnId)} = ${value}::jsonb, _version = _version + 1
          where id = ${rowId} returning _version`.execute(trx)
        if (!rows[0]) return null
        if (ref) await forgetDeletions(trx, [ref.key, ...(ref.thumbnail ? [ref.thumbnail] : [])])
        await touchTable(trx, table.id, null)
        return { version: Number(rows[0]._version) }
      }),
    )
  } catch (error) {
    if (error instanceof TableGoneError) return null
    throw error
  }
}

// Keys due to be deleted from storage (not uploads still within their reservation), oldest first.
export async function queuedDeletions(db: Db, limit: number): Promise<string[]> {
  const { rows } = await sql<{ key: string }>`
    select key from file_deletions where queued_at <= now()
    order by queued_at, key limit ${limit}`.execute(db)
  return rows.map((row) => row.key)
}

export async function forgetDeletions(db: Db, keys: readonly string[]) {
  await sql`delete from file_deletions where key = any(${keys})`.execute(db)
}
