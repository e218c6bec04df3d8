// Index upkeep on Postgres: builds after a big import, and repairs of builds cut short.
import { sql } from 'kysely'
import type { Database } from '../db/database.js'
import { reportError } from '../sentry.js'
import { getTableById } from './catalog.js'
import { createIndexes } from './ddl.js'
import { DATA_SCHEMA } from './names.js'
import type { TableInfo } from './types.js'

// Builds a table's missing indexes without blocking its readers or writers; never rejects.
export async function buildIndexes(database: Database, table: TableInfo): Promise<void> {
  try {
    await createIndexes(database.db, table.id, table.columns, { concurrently: true })
  } catch (error) {
    console.error(
      `Building the indexes of table ${table.id} failed; scripts/migrate retries`,
      error,
    )
    reportError(error)
  }
}

// A concurrent build that was interrupted leaves an invalid index: drop it, then build whatever is
// missing. Run by the release phase (scripts/migrate) and at start-up; cheap when all is well.
export async function ensureIndexes(database: Database): Promise<number> {
  const { db } = database
  const invalid = await sql<{ name: string }>`
    select c.relname as name from pg_index i
    join pg_class c on c.oid = i.indexrelid
    join pg_namespace n on n.oid = c.relnamespace
    where n.nspname = ${DATA_SCHEMA} and not i.indisvalid
  `.execute(db)
  for (const { name } of invalid.rows) {
    await sql`drop index if exists ${sql.id(DATA_SCHEMA, name)}`.execute(db)
  }
  const tables = await db.selectFrom('tables').select('id').orderBy('id').execute()
  for (const { id } of tables) {
    const table = await getTableById(db, id)
    if (table) await buildIndexes(database, table)
  }
  return invalid.rows.length
}
