// Index upkeep on Postgres: builds after a big import, repairs of builds cut short, and keeping
// column changes from meeting a build head on.
import { sql } from 'kysely'
import type { Database, Db } from '../db/database.js'
import { reportError } from '../sentry.js'
import { getTableById } from './catalog.js'
import { ColumnChangeError } from './column-errors.js'
import { definitionOf } from './column-types.js'
import { columnIndexes, type IndexBuild } from './ddl.js'
import type { RowOrder } from './keyset.js'
import { DATA_SCHEMA, objectName, physicalTableName } from './names.js'
import { isUndefinedColumn, isUndefinedTable } from './read-columns.js'
import { isRetryable } from './table-locks.js'
import type { ColumnInfo, TableInfo } from './types.js'

// Rows from which an import's indexes are built after it commits (on Postgres).
export const DEFERRED_INDEX_ROWS = 100_000

const BUILD_ATTEMPTS = 5
const WAIT_FOR_BUILD_MS = 10_000
const POLL_MS = 200

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

// A build of an index whose name the statement gives, made again if Postgres broke it off. False
// when there was nothing left to index.
async function buildOne(db: Db, { name, statement }: IndexBuild): Promise<boolean> {
  for (let attempt = 1; ; attempt++) {
    try {
      await statement.execute(db)
      return true
    } catch (error) {
      // The column or table went while the build waited: nothing left to index.
      if (isUndefinedColumn(error) || isUndefinedTable(error)) return false
      if (!isRetryable(error) || attempt === BUILD_ATTEMPTS) throw error
      // A broken-off concurrent build leaves an invalid index behind, which IF NOT EXISTS would keep.
      await sql`drop index if exists ${sql.id(DATA_SCHEMA, name)}`.execute(db)
      await pause(500 * attempt)
    }
  }
}

export interface IndexBuildTime {
  name: string
  column: string
  ms: number
}

const isTrigram = (build: IndexBuild) => build.name.endsWith('_trgm')

// On a table of DEFERRED_INDEX_ROWS rows or more, a long-text column's trigram index, by far the
// slowest to build (some 40 of the 60 s all of a 1,000,000-row table's indexes take), is built
// only when a search first needs it: until then nothing is spent on a search nobody makes.
const isLazy = (table: TableInfo, column: ColumnInfo, build: IndexBuild) =>
  table.rowCount >= DEFERRED_INDEX_ROWS && column.type === 'long_text' && isTrigram(build)

// Builds a table's missing indexes (`eager`: all but the lazy ones; `lazy`: just those) without
// blocking its readers or writers; never rejects. One at a time: a concurrent build takes a lock
// that conflicts with another on the same table. The sort indexes (B-trees, seconds each) go
// first, so every sort is fast long before the trigram indexes make searching fast. Resolves to
// what each build took (those done before a failure).
export async function buildIndexes(
  db: Db,
  table: TableInfo,
  which: 'eager' | 'lazy' = 'eager',
): Promise<IndexBuildTime[]> {
  const times: IndexBuildTime[] = []
  try {
    const current = await getTableById(db, table.id)
    const builds = (current?.columns ?? []).flatMap((column) =>
      columnIndexes(table.id, column, { concurrently: true })
        .filter((build) => isLazy(current as TableInfo, column, build) === (which === 'lazy'))
        .map((build) => ({ column, build })),
    )
    const trigram = ({ build }: { build: IndexBuild }) => isTrigram(build)
    for (const { column, build } of [
      ...builds.filter((b) => !trigram(b)),
      ...builds.filter(trigram),
    ]) {
      const start = performance.now()
      if (await buildOne(db, build)) {
        times.push({ name: build.name, column: column.name, ms: performance.now() - start })
      }
    }
  } catch (error) {
    console.error(
      `Building the indexes of table ${table.id} failed; scripts/migrate retries`,
      error,
    )
    reportError(error)
  }
  return times
}

// A concurrent index build waits for every transaction holding a snapshot, and a column change
// waiting for its table lock holds one: each would wait for the other until Postgres broke one
// off. So a change first waits, outside any transaction, for builds on its table to end.
export async function waitForIndexBuilds(
  db: Db,
  tableId: number,
  timeoutMs = WAIT_FOR_BUILD_MS,
): Promise<void> {
  const deadline = Date.now() + timeoutMs
  const name = `${DATA_SCHEMA}.${physicalTableName(tableId)}`
  while (true) {
    const { rows } = await sql`
      select 1 from pg_stat_progress_create_index where relid = to_regclass(${name})
    `.execute(db)
    if (rows.length === 0) return
    if (Date.now() >= deadline) {
      throw new ColumnChangeError(
        'The table’s indexes are still being built after its import, so nothing was changed: try again in a minute',
      )
    }
    await pause(POLL_MS)
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
    if (table) await buildIndexes(db, table)
  }
  return invalid.rows.length
}

// Tables whose lazy indexes a worker is building.
const building = new Set<number>()

// A search of a big table starts, in the background, the build of its lazy indexes (once per table
// and process at a time; two workers starting the same build wait for each other, and the second
// finds it built). Costs nothing once they are seen built.
export function startLazyIndexes(db: Db, table: TableInfo, search: string) {
  if (!search || table.rowCount < DEFERRED_INDEX_ROWS || building.has(table.id)) return
  const names = table.columns
    .filter((column) => column.type === 'long_text')
    .map((column) => objectName('trgm', table.id, column.id))
  if (names.every((name) => knownReady.has(name))) return
  building.add(table.id)
  void buildIndexes(db, table, 'lazy').then((built) => {
    for (const { name } of built) knownReady.add(name)
    building.delete(table.id)
  })
}

// Indexes seen built (a name each, at most one per index in the database): names hold table and
// column ids, never reused, so once valid an index stays so (a type change rebuilds it in the
// change's own transaction).
const knownReady = new Set<string>()

// Whether a page's sort or search still waits for its index (missing, or being built concurrently
// after a big import): the page then says so. A search starts the build of lazy indexes. Smaller
// tables get theirs with their rows.
export async function indexesPending(
  db: Db,
  table: TableInfo,
  query: { search: string; order: RowOrder | null },
): Promise<boolean> {
  if (table.rowCount < DEFERRED_INDEX_ROWS) return false
  const names: string[] = []
  const sorted = query.order?.column
  if (sorted) names.push(objectName('sort', table.id, sorted.id))
  if (query.search) {
    for (const column of table.columns) {
      if (definitionOf(column.type).searchable) names.push(objectName('trgm', table.id, column.id))
    }
  }
  if (names.every((name) => knownReady.has(name))) return false
  const { rows } = await sql<{ name: string }>`
    select c.relname as name from pg_index i join pg_class c on c.oid = i.indexrelid
    join pg_namespace n on n.oid = c.relnamespace
    where n.nspname = ${DATA_SCHEMA} and c.relname = any(${names}::text[]) and i.indisvalid
  `.execute(db)
  for (const row of rows) knownReady.add(row.name)
  return rows.length < names.length
}
