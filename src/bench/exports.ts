// Exports over HTTP beside the floor: Postgres's own COPY of the same query, read by psql (or, on
// PGlite, exportFile in this process), with the server's memory while it streams.
import { spawn } from 'node:child_process'
import { openSync } from 'node:fs'
import { exportFile, exportSql } from '../datasource/export.js'
import type { TableInfo } from '../datasource/types.js'
import type { Database } from '../db/database.js'
import { readTableQuery } from '../web/table-query.js'
import type { HttpClient } from './http.js'
import { count, megabytes, type ResultRow, rateRow } from './report.js'
import { type RunningServer, sampleRss } from './server.js'
import { elapsedMs } from './stats.js'

// `psql -c "COPY (…) TO STDOUT …"`, its output thrown away; seconds taken.
function timePsqlCopyOut(url: string, copySql: string): Promise<number> {
  const start = process.hrtime.bigint()
  return new Promise((resolve, reject) => {
    const child = spawn('psql', [url, '-v', 'ON_ERROR_STOP=1', '-c', copySql], {
      stdio: ['ignore', openSync('/dev/null', 'w'), 'pipe'],
    })
    let stderr = ''
    child.stderr?.on('data', (chunk) => (stderr += chunk))
    child.on('error', reject)
    child.on('exit', (code) =>
      code === 0
        ? resolve(elapsedMs(start) / 1000)
        : reject(new Error(`psql exited ${code}: ${stderr}`)),
    )
  })
}

async function floorSeconds(
  database: Database,
  url: string | null,
  table: TableInfo,
  path: string,
  format: 'csv' | 'json',
): Promise<number> {
  const params = new URL(path, 'http://floor').searchParams
  const { search, rowOrder } = readTableQuery(table, Object.fromEntries(params))
  const query = { search, order: rowOrder }
  if (url) return timePsqlCopyOut(url, exportSql(database.db, table, table.columns, query, format))
  const start = process.hrtime.bigint()
  for await (const _ of exportFile(database, table, query, format)) {
    // Read and dropped, as psql does.
  }
  return elapsedMs(start) / 1000
}

export interface ExportFigures {
  row: ResultRow
  // The server processes' summed RSS just before, and at the peak.
  before: number
  peak: number
}

// One export over HTTP (rows/s, the server's memory growth) beside its floor.
export async function measureExport(options: {
  http: HttpClient
  server: RunningServer
  database: Database
  url: string | null
  table: TableInfo
  path: string
  format: 'csv' | 'json'
  rows: number
}): Promise<ExportFigures> {
  const { http, server, database, url, table, path, format, rows } = options
  const floor = rows / (await floorSeconds(database, url, table, path, format))
  const floorLabel = url ? 'psql, COPY of the same query' : 'exportFile in process'
  const start = process.hrtime.bigint()
  const sampled = await sampleRss(server.pids(), () => http.countLines(path))
  const seconds = elapsedMs(start) / 1000
  const { status, lines, bytes } = sampled.result
  // CSV: a header line; JSON: `[` and `]` on lines of their own.
  const got = lines - (format === 'csv' ? 1 : 2)
  const name = `${format.toUpperCase()} export, ${count(rows)} rows`
  const growth = sampled.peak - sampled.before
  const memory = {
    text: `RSS +${megabytes(growth)} (peak ${megabytes(sampled.peak)})`,
    target: 'RSS growth < 30 MB',
    ok: growth < 30 * 1024 * 1024,
  }
  if (status !== 200 || got !== rows) {
    return {
      row: {
        ...rateRow(name, 0, 'rows/s', floor, floorLabel, null),
        http: `HTTP ${status}, ${Math.max(0, got)} of ${count(rows)} rows`,
        target: 'answers 200 with every row',
        pass: false,
      },
      before: sampled.before,
      peak: sampled.peak,
    }
  }
  return {
    row: rateRow(
      `${name} (${seconds.toFixed(1)} s, ${megabytes(bytes)})`,
      rows / seconds,
      'rows/s',
      floor,
      floorLabel,
      null,
      memory,
      url ? 0.8 : null,
    ),
    before: sampled.before,
    peak: sampled.peak,
  }
}
