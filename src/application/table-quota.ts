// How many tables one user may have (MAX_TABLES_PER_USER), checked on every path that makes one.
import { sql } from 'kysely'
import { insertTable, type NewTable } from '../datasource/tables.js'
import type { TableInfo } from '../datasource/types.js'
import type { Db } from '../db/database.js'

export class TableQuotaError extends Error {
  constructor(readonly max: number) {
    super(
      `You have ${max.toLocaleString('en-GB')} tables, the most one account may have. Delete a table you no longer need to make room.`,
    )
  }
}

// The first key of the advisory lock that serializes one user's table creations.
const QUOTA_LOCK = 7_428_169

export async function countTables(db: Db, ownerId: number): Promise<number> {
  const { n } = await db
    .selectFrom('tables')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('owner_id', '=', ownerId)
    .executeTakeFirstOrThrow()
  return Number(n)
}

export async function checkTableQuota(db: Db, ownerId: number, max: number): Promise<void> {
  if ((await countTables(db, ownerId)) >= max) throw new TableQuotaError(max)
}

// Counting and creating under one lock per user, so parallel requests cannot both take the last
// place (and two tables of one name queue up: the second meets SlugTakenError, not a 500).
export function createTableWithinQuota(db: Db, input: NewTable, max: number): Promise<TableInfo> {
  return db.transaction().execute(async (trx) => {
    await sql`select pg_advisory_xact_lock(${QUOTA_LOCK}, ${input.ownerId})`.execute(trx)
    await checkTableQuota(trx, input.ownerId, max)
    return insertTable(trx, input)
  })
}
