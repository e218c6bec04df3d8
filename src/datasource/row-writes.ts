// Inserting, updating and deleting rows: validated, all or nothing, the catalog's count kept in step.
import { type RawBuilder, sql } from 'kysely'
import type { Db } from '../db/database.js'
import { POSTGRES_TYPES } from './column-types.js'
import { mapWriteError, UNIQUE_MESSAGE } from './db-errors.js'
import { columnRef, tableRef } from './names.js'
import { type FieldErrors, type RowValues, validateRow } from './row-schema.js'
import { getRow } from './rows.js'
import { touchTable } from './tables.js'
import type { ColumnInfo, Row, TableInfo } from './types.js'

export const MAX_BULK_DELETE = 1000

export type WriteResult = { ok: true; row: Row } | { ok: false; errors: FieldErrors }
// The row changed (or was deleted and re-read) since the form was shown; `current` is what it is now.
export type Conflict = { ok: false; conflict: true; current: Row }

const isRowId = (id: number) => Number.isSafeInteger(id) && id > 0

// Values are sent as text and cast to the column's type, the same way on both drivers (PGlite
// would otherwise type the parameter itself and refuse 'true' for a boolean).
const typed = (column: ColumnInfo, value: string | null): RawBuilder<unknown> =>
  sql`${value}::text::${sql.raw(POSTGRES_TYPES[column.type])}`

async function readRow(trx: Db, table: TableInfo, rowId: number): Promise<Row> {
  const row = await getRow(trx, table, rowId)
  if (!row) throw new Error(`Row ${rowId} of table ${table.id} vanished while being written`)
  return row
}

// The friendly check before writing; the unique index still has the last word in a race.
async function uniqueErrors(
  trx: Db,
  table: TableInfo,
  values: RowValues,
  rowId: number | null,
): Promise<FieldErrors | null> {
  const checked = table.columns.flatMap((column) => {
    const value = values[column.slug]
    return column.unique && value ? [{ column, value }] : []
  })
  if (checked.length === 0) return null
  const others = rowId === null ? sql`true` : sql`id <> ${rowId}`
  // One row, numbered by `slot`, for each column whose value another row already holds.
  const { rows } = await sql<{ slot: number }>`${sql.join(
    checked.map(
      ({ column, value }, index) => sql`select ${sql.lit(index)} as slot where exists (
        select from ${tableRef(table.id)}
        where ${columnRef(column.id)} = ${typed(column, value)} and ${others}
      )`,
    ),
    sql` union all `,
  )}`.execute(trx)
  const taken = checked.filter((_, index) => rows.some((row) => Number(row.slot) === index))
  if (taken.length === 0) return null
  return Object.fromEntries(taken.map(({ column }) => [column.slug, UNIQUE_MESSAGE]))
}

// A refused write rolls its transaction back; the refusal comes back as field errors.
async function refusalsAsErrors<T>(
  table: TableInfo,
  values: RowValues,
  write: () => Promise<T>,
): Promise<T | { ok: false; errors: FieldErrors }> {
  try {
    return await write()
  } catch (error) {
    return { ok: false, errors: mapWriteError(error, table, values) }
  }
}

async function insertValues(trx: Db, table: TableInfo, values: RowValues): Promise<Row> {
  const given = table.columns.flatMap((column) => {
    const value = values[column.slug]
    // A blank field with a column default takes the default.
    if (value === undefined || (value === null && column.defaultValue !== null)) return []
    return [{ column, value }]
  })
  const target = given.length
    ? sql`(${sql.join(given.map(({ column }) => columnRef(column.id)))})
        values (${sql.join(given.map(({ column, value }) => typed(column, value)))})`
    : sql`default values`
  const { rows } = await sql<{ id: number | string }>`
    insert into ${tableRef(table.id)} ${target} returning id
  `.execute(trx)
  await touchTable(trx, table.id, 1)
  return readRow(trx, table, Number(rows[0]?.id))
}

// Inserts values already validated, without the uniqueness pre-check: what a writer that lost a
// race meets. insertRow is the one to call; this stays exported to prove the race ends kindly.
export async function writeRow(db: Db, table: TableInfo, values: RowValues): Promise<WriteResult> {
  return refusalsAsErrors(table, values, () =>
    db.transaction().execute(async (trx) => ({
      ok: true as const,
      row: await insertValues(trx, table, values),
    })),
  )
}

export async function insertRow(db: Db, table: TableInfo, input: unknown): Promise<WriteResult> {
  const checked = validateRow(table, input)
  if (!checked.ok) return checked
  const { values } = checked
  return refusalsAsErrors(table, values, () =>
    db.transaction().execute(async (trx): Promise<WriteResult> => {
      const errors = await uniqueErrors(trx, table, values, null)
      return errors
        ? { ok: false, errors }
        : { ok: true, row: await insertValues(trx, table, values) }
    }),
  )
}

// Locks the row for the rest of the transaction, so its version cannot change under us.
async function lockedVersion(trx: Db, table: TableInfo, rowId: number): Promise<number | null> {
  if (!isRowId(rowId)) return null
  const { rows } = await sql<{ _version: number }>`
    select _version from ${tableRef(table.id)} where id = ${rowId} for update
  `.execute(trx)
  return rows[0] ? Number(rows[0]._version) : null
}

const conflict = async (trx: Db, table: TableInfo, rowId: number): Promise<Conflict> => ({
  ok: false,
  conflict: true,
  current: await readRow(trx, table, rowId),
})

// Optimistic concurrency: the write applies only if the row is still at `expectedVersion`.
export async function updateRow(
  db: Db,
  table: TableInfo,
  rowId: number,
  expectedVersion: number,
  input: unknown,
): Promise<WriteResult | Conflict | null> {
  const checked = validateRow(table, input)
  const values = checked.ok ? checked.values : {}
  return refusalsAsErrors(table, values, () =>
    db.transaction().execute(async (trx): Promise<WriteResult | Conflict | null> => {
      const version = await lockedVersion(trx, table, rowId)
      if (version === null) return null
      if (version !== expectedVersion) return conflict(trx, table, rowId)
      if (!checked.ok) return checked
      const errors = await uniqueErrors(trx, table, values, rowId)
      if (errors) return { ok: false, errors }
      const set = table.columns.map(
        (column) => sql`${columnRef(column.id)} = ${typed(column, values[column.slug] ?? null)}`,
      )
      await sql`update ${tableRef(table.id)}
        set ${sql.join([...set, sql`_version = _version + 1`])}
        where id = ${rowId} and _version = ${expectedVersion}`.execute(trx)
      await touchTable(trx, table.id, null)
      return { ok: true, row: await readRow(trx, table, rowId) }
    }),
  )
}

// `expectedVersion` null deletes whatever the row holds now.
export async function deleteRow(
  db: Db,
  table: TableInfo,
  rowId: number,
  expectedVersion: number | null,
): Promise<{ ok: true } | Conflict | null> {
  return db.transaction().execute(async (trx) => {
    const version = await lockedVersion(trx, table, rowId)
    if (version === null) return null
    if (expectedVersion !== null && version !== expectedVersion) return conflict(trx, table, rowId)
    await sql`delete from ${tableRef(table.id)} where id = ${rowId}`.execute(trx)
    await touchTable(trx, table.id, -1)
    return { ok: true as const }
  })
}

// Deletes the rows that exist among `ids`; returns how many went.
export async function deleteRows(db: Db, table: TableInfo, ids: number[]): Promise<number> {
  if (ids.length > MAX_BULK_DELETE) {
    throw new RangeError(`At most ${MAX_BULK_DELETE} rows can be deleted at once`)
  }
  const valid = [...new Set(ids.filter(isRowId))]
  if (valid.length === 0) return 0
  return db.transaction().execute(async (trx) => {
    const { rows } = await sql`delete from ${tableRef(table.id)}
      where id in (${sql.join(valid)}) returning id`.execute(trx)
    if (rows.length) await touchTable(trx, table.id, -rows.length)
    return rows.length
  })
}
