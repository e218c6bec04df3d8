// The benchmark database and table: a dedicated database, a bench user, and N rows loaded the
// way users load them (importNewTable), plus `psql \copy` of the same rows for comparison.
import { spawn } from 'node:child_process'
import { sql } from 'kysely'
import pg from 'pg'
import { findTable } from '../datasource/catalog.js'
import { buildIndexes, type IndexBuildTime } from '../datasource/indexes.js'
import { tableRef } from '../datasource/names.js'
import { deleteTable } from '../datasource/tables.js'
import type { TableInfo } from '../datasource/types.js'
import type { Database } from '../db/database.js'
import { importCsvFileAsTable } from '../import/csv-file.js'
import { BENCH_COLUMNS, PLAIN_COLUMN_TYPES, writeBenchCsv } from './data.js'
import { elapsedMs } from './stats.js'

export const BENCH_USERNAME = 'bench'
export const DEFAULT_SERVER_URL = 'postgres://postgres@127.0.0.1:5432/postgres'
export const BENCH_DATABASE = 'hostedapi_bench'

// DATABASE_URL as given, else the dedicated database on the local server (created if missing).
export async function benchDatabaseUrl(given: string | undefined): Promise<string> {
  if (given) return given
  const admin = new pg.Client({ connectionString: DEFAULT_SERVER_URL })
  await admin.connect()
  try {
    const { rowCount } = await admin.query('select 1 from pg_database where datname = $1', [
      BENCH_DATABASE,
    ])
    if (!rowCount) await admin.query(`create database ${BENCH_DATABASE}`)
  } finally {
    await admin.end()
  }
  const url = new URL(DEFAULT_SERVER_URL)
  url.pathname = `/${BENCH_DATABASE}`
  return url.toString()
}

export async function ensureBenchUser(database: Database): Promise<number> {
  const { db } = database
  const existing = await db
    .selectFrom('users')
    .select('id')
    .where('username', '=', BENCH_USERNAME)
    .executeTakeFirst()
  if (existing) return existing.id
  const created = await db
    .insertInto('users')
    .values({ username: BENCH_USERNAME, name: 'Benchmark', github_id: null })
    .returning('id')
    .executeTakeFirstOrThrow()
  return created.id
}

export const benchTableName = (rows: number) => `Bench ${rows}`
export const benchTableSlug = (rows: number) => `bench-${rows}`

export interface Loaded {
  table: TableInfo
  // null when an existing table was reused.
  importSeconds: number | null
  // From the start of the import until every index is built.
  indexedSeconds: number | null
  // What each index took, when they were built after the import.
  indexTimes: IndexBuildTime[]
  // The indexes built at a first search (a long text's trigram index), built before the pages
  // are timed.
  lazyTimes: IndexBuildTime[]
}

async function exactCount(database: Database, table: TableInfo): Promise<number> {
  const { rows } = await sql<{ n: string | number }>`
    select count(*) as n from ${tableRef(table.id)}`.execute(database.db)
  return Number(rows[0]?.n ?? 0)
}

// Loads N rows from a CSV file the way `scripts/import` does (timed), or reuses a table with
// exactly N rows.
export async function loadBenchTable(
  database: Database,
  rows: number,
  reuse: boolean,
  csvPath: string,
  writeFile: () => Promise<void>,
  log: (line: string) => void,
): Promise<Loaded> {
  const ownerId = await ensureBenchUser(database)
  const existing = await findTable(database.db, BENCH_USERNAME, benchTableSlug(rows))
  if (existing.found === 'table') {
    if (reuse && (await exactCount(database, existing.table)) === rows) {
      log(`Reusing ${existing.table.name} (${rows} rows)`)
      return {
        table: existing.table,
        importSeconds: null,
        indexedSeconds: null,
        indexTimes: [],
        lazyTimes: [],
      }
    }
    await deleteTable(database.db, existing.table.id)
  }
  await writeFile()
  log(`Importing ${rows} rows from ${csvPath} (importCsvFileAsTable)…`)
  const start = process.hrtime.bigint()
  const {
    table,
    rows: imported,
    indexing,
  } = await importCsvFileAsTable(database, csvPath, {
    ownerId,
    name: benchTableName(rows),
    columns: BENCH_COLUMNS,
    isPublic: true,
  })
  const importSeconds = elapsedMs(start) / 1000
  // The pages are measured once the indexes (built after the rows commit on Postgres) are ready.
  const indexTimes = await indexing
  const indexedSeconds = elapsedMs(start) / 1000
  log(
    `Rows committed in ${importSeconds.toFixed(1)} s; indexes built in ${(indexedSeconds - importSeconds).toFixed(1)} s more`,
  )
  if (imported !== rows) throw new Error(`Imported ${imported} rows, expected ${rows}`)
  // What a first search would start: built now, so that the search cases time a ready index.
  // (Only after a deferred build: smaller imports, and PGlite, build every index with the rows.)
  const lazyTimes = indexTimes.length ? await buildIndexes(database.db, table, 'lazy') : []
  // What autovacuum does soon after a big load: visibility map and planner statistics.
  await sql`vacuum (analyze) ${tableRef(table.id)}`.execute(database.db)
  return { table, importSeconds, indexedSeconds, indexTimes, lazyTimes }
}

export function run(command: string, args: string[]): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { stdio: ['ignore', 'ignore', 'pipe'] })
    let stderr = ''
    child.stderr.on('data', (chunk) => (stderr += chunk))
    child.on('error', reject)
    child.on('exit', (code) =>
      code === 0 ? resolve() : reject(new Error(`${command} exited ${code}: ${stderr}`)),
    )
  })
}

// Writes the bench rows to a CSV file with a header row; seconds taken.
export async function writeBenchFile(csvPath: string, rows: number): Promise<number> {
  const csvStart = process.hrtime.bigint()
  await writeBenchCsv(
    csvPath,
    rows,
    BENCH_COLUMNS.map((column) => column.name),
  )
  return elapsedMs(csvStart) / 1000
}

// Times `psql \copy` of the same file into a plain table with the same column types (and the same
// id and _version columns a user table has).
export async function timePsqlCopy(url: string, rows: number, csvPath: string): Promise<number> {
  const names = PLAIN_COLUMN_TYPES.map((_, index) => `c${index + 1}`)
  const client = new pg.Client({ connectionString: url })
  await client.connect()
  try {
    await client.query('drop table if exists public.bench_plain_copy')
    await client.query(`create table public.bench_plain_copy (
      id bigint generated by default as identity primary key,
      _version integer not null default 1,
      ${names.map((name, index) => `${name} ${PLAIN_COLUMN_TYPES[index]}`).join(', ')})`)
    const start = process.hrtime.bigint()
    await run('psql', [
      url,
      '-v',
      'ON_ERROR_STOP=1',
      '-c',
      `\\copy public.bench_plain_copy (${names.join(', ')}) from '${csvPath}' with (format csv, header)`,
    ])
    const seconds = elapsedMs(start) / 1000
    const { rows: counted } = await client.query('select count(*)::int as n from bench_plain_copy')
    if (counted[0]?.n !== rows) throw new Error(`psql copied ${counted[0]?.n} rows, not ${rows}`)
    return seconds
  } finally {
    await client.query('drop table if exists public.bench_plain_copy').catch(() => {})
    await client.end()
  }
}
