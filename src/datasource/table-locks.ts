// The locks that keep row writes and column changes apart, always taken in one order: the user
// table, then (for a change) its catalog row. A row write reads the column list only once it holds
// its lock, so it sees the change that went before it; a change waits for the writes under way.
import { sql } from 'kysely'
import type { Db } from '../db/database.js'
import { getTableById } from './catalog.js'
import { tableRef } from './names.js'
import { isUndefinedTable } from './read-columns.js'
import type { TableInfo } from './types.js'

export class TableGoneError extends Error {
  constructor(
    readonly tableId: number,
    // Postgres's refusal, when it was the physical table that was missing.
    override readonly cause: unknown = null,
  ) {
    super('This table no longer exists')
  }
}

// A deleted table is a race to answer kindly; a physical table missing under a catalog row that
// is still there is damage, and its error is thrown on as it was.
export async function confirmGone(db: Db, error: TableGoneError): Promise<void> {
  if (error.cause === null) return
  const row = await db.selectFrom('tables').select('id').where('id', '=', error.tableId).execute()
  if (row.length > 0) throw error.cause
}

// The message for a write that lost a race (a deadlock or a serialization failure) three times.
export const BUSY_MESSAGE = 'The table was busy with other changes, so nothing was saved: try again'

async function lockTable(trx: Db, tableId: number, mode: 'row exclusive' | 'share row exclusive') {
  try {
    await sql`lock table ${tableRef(tableId)} in ${sql.raw(mode)} mode`.execute(trx)
  } catch (error) {
    if (isUndefinedTable(error)) throw new TableGoneError(tableId, error)
    throw error
  }
}

// Row writes take this anyway; taking it first means the columns read next are current, because
// a column change holds a lock that conflicts with it until it commits.
export async function lockForRowWrites(trx: Db, tableId: number): Promise<TableInfo> {
  await lockTable(trx, tableId, 'row exclusive')
  const table = await getTableById(trx, tableId)
  if (!table) throw new TableGoneError(tableId)
  return table
}

// Blocks row writes (not reads) until commit, so what was checked is what gets altered; two
// changes to one table take turns. `lockData` false (a reorder touches only the catalog) skips it.
export async function lockForColumnChange(
  trx: Db,
  tableId: number,
  lockData: boolean,
): Promise<TableInfo> {
  if (lockData) await lockTable(trx, tableId, 'share row exclusive')
  const locked = await trx
    .selectFrom('tables')
    .select('id')
    .where('id', '=', tableId)
    .forUpdate()
    .execute()
  const table = locked.length ? await getTableById(trx, tableId) : null
  if (!table) throw new TableGoneError(tableId)
  return table
}

const RETRIED = new Set([
  '40P01', // deadlock_detected
  '40001', // serialization_failure
])

export const isRetryable = (error: unknown) =>
  RETRIED.has(String((error as { code?: unknown } | null)?.code))

// Runs `attempt` (a whole transaction) again when it lost a race that Postgres broke off; the
// last failure is thrown.
export async function retryingRaces<T>(attempt: () => Promise<T>, attempts = 3): Promise<T> {
  for (let tries = 1; ; tries++) {
    try {
      return await attempt()
    } catch (error) {
      if (!isRetryable(error) || tries >= attempts) throw error
      await new Promise((resolve) => setTimeout(resolve, 20 * tries + Math.random() * 30))
    }
  }
}
