// Updating and deleting rows (inserts are in row-inserts.ts): validated against the current
// columns, all or nothing, with optimistic concurrency and the catalog's count kept in step.
import { sql } from 'kysely'
import type { Db } from '../db/database.js'
import { cellColumns } from './column-type/link.js'
import { checkLinkLists, writeLinkLists } from './link-lists.js'
import { isForeignKeyViolation, linkingRows, RowLinkedError } from './links.js'
import { columnRef, tableRef } from './names.js'
import { currentColumns, isUndefinedTable } from './read-columns.js'
import { mapRowsError, typed, uniqueErrors } from './row-checks.js'
import type { WriteResult } from './row-inserts.js'
import { ROW_ERROR, type RowInputOptions, type RowValues, validateRow } from './row-schema.js'
import { type RawRow, selectList, toRow } from './rows.js'
import {
  BUSY_MESSAGE,
  confirmGone,
  isRetryable,
  lockForRowWrites,
  retryingRaces,
  TableGoneError,
} from './table-locks.js'
import { touchTable } from './tables.js'
import type { Row, TableInfo } from './types.js'

export {
  type BulkWriteResult,
  insertRow,
  insertRows,
  MAX_BULK_INSERT,
  type WriteResult,
  writeRow,
} from './row-inserts.js'

export const MAX_BULK_DELETE = 1000

// The row changed (or was deleted and re-read) since the form was shown; `current` is what it is now.
export type Conflict = { ok: false; conflict: true; current: Row }

const isRowId = (id: number) => Number.isSafeInteger(id) && id > 0

// The row as `reader` (the caller's view of the table) has its columns.
async function readRow(trx: Db, current: TableInfo, reader: TableInfo, rowId: number) {
  const columns = currentColumns(reader, current)
  const { rows } = await sql<RawRow>`
    select ${selectList(columns)} from ${tableRef(current.id)} where id = ${rowId}
  `.execute(trx)
  if (!rows[0]) throw new Error(`Row ${rowId} of table ${current.id} vanished while being written`)
  return toRow(columns, rows[0])
}

// Locks the row for the rest of the transaction, so its version cannot change under us.
async function lockedVersion(trx: Db, tableId: number, rowId: number): Promise<number | null> {
  if (!isRowId(rowId)) return null
  const { rows } = await sql<{ _version: number }>`
    select _version from ${tableRef(tableId)} where id = ${rowId} for update
  `.execute(trx)
  return rows[0] ? Number(rows[0]._version) : null
}

export interface UpdateOptions extends Omit<RowInputOptions, 'insert'> {}

// Optimistic concurrency: the write applies only if the row is still at `expectedVersion` (null:
// whatever it is now). With `partial`, only the fields given are checked and written.
export async function updateRow(
  db: Db,
  table: TableInfo,
  rowId: number,
  expectedVersion: number | null,
  input: unknown,
  options: UpdateOptions = {},
): Promise<WriteResult | Conflict | null> {
  let current: TableInfo = table
  let values: RowValues = {}
  try {
    return await retryingRaces(() =>
      db.transaction().execute(async (trx): Promise<WriteResult | Conflict | null> => {
        current = await lockForRowWrites(trx, table.id)
        const version = await lockedVersion(trx, table.id, rowId)
        if (version === null) return null
        if (expectedVersion !== null && version !== expectedVersion) {
          return { ok: false, conflict: true, current: await readRow(trx, current, table, rowId) }
        }
        const checked = validateRow(current, input, { ...options, insert: false })
        if (!checked.ok) return checked
        values = checked.values
        const clashes = await uniqueErrors(trx, current, [values], rowId)
        const unknown = (await checkLinkLists(trx, current, [values])).get(0)
        if (clashes.size > 0 || unknown) {
          return { ok: false, errors: { ...clashes.get(0), ...unknown } }
        }
        const set = cellColumns(current.columns)
          .filter((column) => values[column.slug] !== undefined)
          .map(
            (column) =>
              sql`${columnRef(column.id)} = ${typed(column, values[column.slug] ?? null)}`,
          )
        await sql`update ${tableRef(table.id)}
          set ${sql.join([...set, sql`_version = _version + 1`])}
          where id = ${rowId}`.execute(trx)
        await writeLinkLists(trx, current, [{ id: rowId, values }])
        await touchTable(trx, table.id, null)
        return { ok: true, row: await readRow(trx, current, table, rowId) }
      }),
    )
  } catch (error) {
    if (error instanceof TableGoneError) return confirmGone(db, error).then(() => null)
    if (isRetryable(error)) return { ok: false, errors: { [ROW_ERROR]: BUSY_MESSAGE } }
    return { ok: false, errors: mapRowsError(error, current, [values])[0]?.errors ?? {} }
  }
}

// A delete Postgres refused because refusing links point at the rows: which rows, for the message
// (read once the transaction is over: PGlite has one connection).
async function refusedByLinks(db: Db, tableId: number, ids: number[], error: unknown) {
  if (!isForeignKeyViolation(error)) return
  throw new RowLinkedError(await linkingRows(db, tableId, ids))
}

// `expectedVersion` null deletes whatever the row holds now. Null: no such row (or table).
export async function deleteRow(
  db: Db,
  table: TableInfo,
  rowId: number,
  expectedVersion: number | null,
): Promise<{ ok: true } | Conflict | null> {
  try {
    return await retryingRaces(() =>
      db.transaction().execute(async (trx) => {
        const current = await lockForRowWrites(trx, table.id)
        const version = await lockedVersion(trx, table.id, rowId)
        if (version === null) return null
        if (expectedVersion !== null && version !== expectedVersion) {
          return {
            ok: false as const,
            conflict: true as const,
            current: await readRow(trx, current, table, rowId),
          }
        }
        await sql`delete from ${tableRef(table.id)} where id = ${rowId}`.execute(trx)
        await touchTable(trx, table.id, -1)
        return { ok: true as const }
      }),
    )
  } catch (error) {
    if (error instanceof TableGoneError) return confirmGone(db, error).then(() => null)
    await refusedByLinks(db, table.id, [rowId], error)
    throw error
  }
}

// Deletes the rows that exist among `ids`; returns how many went.
export async function deleteRows(db: Db, table: TableInfo, ids: number[]): Promise<number> {
  if (ids.length > MAX_BULK_DELETE) {
    throw new RangeError(`At most ${MAX_BULK_DELETE} rows can be deleted at once`)
  }
  const valid = [...new Set(ids.filter(isRowId))]
  if (valid.length === 0) return 0
  try {
    return await retryingRaces(() =>
      db.transaction().execute(async (trx) => {
        const { rows } = await sql`delete from ${tableRef(table.id)}
          where id in (${sql.join(valid)}) returning id`.execute(trx)
        if (rows.length) await touchTable(trx, table.id, -rows.length)
        return rows.length
      }),
    )
  } catch (error) {
    if (isUndefinedTable(error)) return 0
    await refusedByLinks(db, table.id, valid, error)
    throw error
  }
}
