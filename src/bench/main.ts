// `scripts/bench`: loads N rows, serves the app, times its pages over HTTP and the same DataSource
// calls directly (the floor), and prints a Markdown table with PASS/FAIL against the targets.
import { rm, writeFile } from 'node:fs/promises'
import os from 'node:os'
import { join } from 'node:path'
import { parseArgs } from 'node:util'
import { sql } from 'kysely'
import { type Database, openPglite, openPostgres } from '../db/database.js'
import { migrateToLatest } from '../db/migrate.js'
import { appPath } from '../paths.js'
import { measureApi } from './api.js'
import { discoverCases } from './cases.js'
import { measureExport } from './exports.js'
import { floorFor } from './floor.js'
import { HttpClient } from './http.js'
import { ensureLinkAndImage, IMAGE_COLUMN, LINK_COLUMN, SITES, SITES_NAME } from './links.js'
import { runLoad } from './load.js'
import {
  count,
  latencyRow,
  type Mode,
  markdownReport,
  megabytes,
  type ResultRow,
  rateRow,
} from './report.js'
import {
  buildApp,
  type RunningServer,
  rssBytes,
  startCeilingServer,
  startChildServer,
  startInProcessServer,
} from './server.js'
import { benchDatabaseUrl, loadBenchTable, timePsqlCopy, writeBenchFile } from './setup.js'
import { measureLatency, measureThroughput } from './stats.js'

const USAGE = `Usage: scripts/bench [options]

  --rows N          rows in the bench table (default 1,000,000; 100,000 with --pglite)
  --pglite          embedded PGlite in .data/pglite-bench instead of Postgres
  --reuse           keep an existing bench table with exactly N rows instead of reloading it
  --out FILE        also write the Markdown report to FILE
  --requests N      timed requests per case (default 200), after --warmup N (default 20, at most 2 s)
  --max-seconds S   stop a slow case after S seconds of timing (default 10; at least 10 requests)
  --seconds S       duration of the throughput run (default 5)
  --concurrency N   connections in the throughput run (default 16)
  --workers N       WEB_CONCURRENCY of the app on Postgres (default 2)
  --tsx             run the app's sources through tsx instead of the compiled build (npm run build)

Postgres: DATABASE_URL, else database hostedapi_bench on postgres://postgres@127.0.0.1:5432
(created if missing). Progress goes to stderr, the report to stdout.`

const { values: args } = parseArgs({
  options: {
    rows: { type: 'string' },
    pglite: { type: 'boolean', default: false },
    reuse: { type: 'boolean', default: false },
    out: { type: 'string' },
    requests: { type: 'string', default: '200' },
    warmup: { type: 'string', default: '20' },
    'max-seconds': { type: 'string', default: '10' },
    seconds: { type: 'string', default: '5' },
    concurrency: { type: 'string', default: '16' },
    workers: { type: 'string', default: '2' },
    tsx: { type: 'boolean', default: false },
    help: { type: 'boolean', short: 'h', default: false },
  },
})
if (args.help) {
  console.log(USAGE)
  process.exit(0)
}

function positive(name: string, raw: string | undefined, fallback: number): number {
  const value = raw === undefined ? fallback : Number(raw.replaceAll('_', '').replaceAll(',', ''))
  if (!Number.isFinite(value) || value <= 0) {
    console.error(`--${name} must be a positive number\n\n${USAGE}`)
    process.exit(2)
  }
  return value
}

const mode: Mode = args.pglite ? 'pglite' : 'postgres'
const rows = Math.floor(positive('rows', args.rows, mode === 'pglite' ? 100_000 : 1_000_000))
const latencyOptions = {
  requests: positive('requests', args.requests, 200),
  warmup: Math.floor(Number(args.warmup) || 0),
  maxSeconds: positive('max-seconds', args['max-seconds'], 10),
  minRequests: 10,
}
const seconds = positive('seconds', args.seconds, 5)
const concurrency = Math.floor(positive('concurrency', args.concurrency, 16))
const workers = Math.floor(positive('workers', args.workers, 2))
const POOL_PER_WORKER = 5 // DATABASE_POOL_MAX's default, which the app runs with here

const log = (line: string) => console.error(`[bench] ${line}`)

async function openBenchDatabase(): Promise<{ database: Database; url: string | null }> {
  if (mode === 'pglite') {
    return { database: await openPglite(appPath('.data', 'pglite-bench')), url: null }
  }
  const url = await benchDatabaseUrl(process.env.DATABASE_URL || undefined)
  // The floor gets as many connections as the app's workers have together.
  return { database: openPostgres(url, workers * POOL_PER_WORKER), url }
}

const MB = 1024 * 1024
const treeRss = (server: RunningServer) =>
  server.pids().reduce((sum, pid) => sum + rssBytes(pid), 0)

async function main(): Promise<void> {
  const started = Date.now()
  const loadBefore = os.loadavg()[0] ?? 0
  const { database, url } = await openBenchDatabase()
  const results: ResultRow[] = []
  const notes: string[] = []
  let server: RunningServer | null = null
  const client = { current: null as HttpClient | null }
  try {
    await migrateToLatest(database.db)
    const { rows: versionRows } = await sql<{ v: string }>`select version() as v`.execute(
      database.db,
    )
    if (mode === 'postgres' && !args.tsx) {
      log('Building the app (tsc -p tsconfig.build.json)…')
      await buildApp()
    }
    const csvPath = join(os.tmpdir(), `hostedapi-bench-${process.pid}.csv`)
    const loaded = await loadBenchTable(
      database,
      rows,
      args.reuse,
      csvPath,
      async () => {
        const csvSeconds = await writeBenchFile(csvPath, rows)
        notes.push(
          `The CSV file (${count(rows)} rows) was written in ${csvSeconds.toFixed(1)} s, not counted.`,
        )
      },
      log,
    )
    const { importSeconds, indexedSeconds, indexTimes, lazyTimes } = loaded
    // A link column (to a small table) and an image column, filled in some rows.
    const withLinks = await ensureLinkAndImage(database, loaded.table, log)
    const table = withLinks.table
    notes.push(
      `Every page shows a ${LINK_COLUMN} column (a link to ${SITES.toLocaleString('en-US')} rows of “${SITES_NAME}”, shown by their name; filled in the first 2,000 rows and one row in 5) and a ${IMAGE_COLUMN} column (file references as an upload stores them, in one row in 10)${withLinks.seconds === null ? '' : `, added and filled in ${withLinks.seconds.toFixed(1)} s after the import, not counted`}.`,
    )

    // (1) Loading: the file through the app's import, beside psql \copy of the same file.
    if (importSeconds === null || indexedSeconds === null) {
      notes.push('Import: skipped, an existing table was reused (--reuse).')
    } else {
      let copySeconds: number | null = null
      if (url) {
        log('Timing psql \\copy of the same file…')
        copySeconds = await timePsqlCopy(url, rows, csvPath)
        notes.push(
          'psql \\copy: the same file into a plain table with the same types, id and _version columns.',
        )
      }
      results.push(
        rateRow(
          `Import ${count(rows)} rows from a CSV file (importCsvFileAsTable, ${importSeconds.toFixed(1)} s)`,
          rows / importSeconds,
          'rows/s',
          copySeconds && rows / copySeconds,
          'psql \\copy',
          null,
          null,
          url ? 0.8 : null,
        ),
        {
          name: `From the start of the import to every index built${lazyTimes.length ? ' (but those a first search builds)' : ''}`,
          http: `${indexedSeconds.toFixed(1)} s`,
          floor: `${importSeconds.toFixed(1)} s (rows committed)`,
          ratio: '—',
          target: rows >= 1_000_000 ? '≤ 20 s at 1,000,000 rows' : '—',
          pass: rows >= 1_000_000 ? indexedSeconds <= 20 : null,
        },
      )
    }
    await rm(csvPath, { force: true })
    if (indexTimes.length > 0) {
      const each = indexTimes.map(
        (time) =>
          `${time.column} ${time.name.includes('trgm') ? 'trigram' : 'B-tree'} ${(time.ms / 1000).toFixed(1)} s`,
      )
      notes.push(
        `Index builds after the import, one at a time (CREATE INDEX CONCURRENTLY takes a lock that conflicts with another build on the same table): ${each.join(', ')}.`,
      )
    }
    if (lazyTimes.length > 0) {
      const each = lazyTimes.map(
        (time) => `${time.column} trigram ${(time.ms / 1000).toFixed(1)} s`,
      )
      notes.push(
        `Built when a search first needs it (a long text's trigram index; the page says the search waits for it meanwhile), here before the pages were timed: ${each.join(', ')}.`,
      )
    }

    // (2) and (3): the app over HTTP, and the same DataSource calls directly.
    server =
      mode === 'pglite'
        ? await startInProcessServer(database)
        : await startChildServer({
            databaseUrl: url ?? '',
            concurrency: workers,
            compiled: !args.tsx,
            log,
          })
    // Memory at rest: the whole process tree, a moment after start-up.
    await new Promise((resolve) => setTimeout(resolve, 3000))
    const idle = treeRss(server)
    client.current = new HttpClient(server.origin, concurrency * 2)
    const http = client.current
    const found = await discoverCases(http, table)
    for (const testCase of found.cases) {
      log(`${testCase.name}: ${testCase.path}`)
      const httpLatency = await measureLatency(() => http.getOk(testCase.path), latencyOptions)
      const floorLatency = await measureLatency(floorFor(database, testCase.path), latencyOptions)
      const row = latencyRow(mode, testCase.name, testCase.kind, httpLatency, floorLatency)
      log(`  HTTP ${row.http}, floor ${row.floor}`)
      results.push(row)
    }

    log(`Throughput of page 1, concurrency ${concurrency}, ${seconds} s (autocannon)…`)
    const throughput = await runLoad(`${server.origin}${found.page1}`, concurrency, seconds)
    const floorThroughput = await measureThroughput(
      floorFor(database, found.page1),
      concurrency,
      seconds,
    )
    const ceilingServer = await startCeilingServer(found.page1Bytes)
    const ceiling = await runLoad(`${ceilingServer.origin}/`, concurrency, seconds)
    await ceilingServer.stop()
    const label = mode === 'postgres' ? `WEB_CONCURRENCY=${workers}` : 'in-process'
    results.push(
      rateRow(
        `Page 1 throughput, concurrency ${concurrency} (${label})`,
        throughput.perSecond,
        'req/s',
        floorThroughput.perSecond,
        mode === 'postgres'
          ? `one process, ${workers * POOL_PER_WORKER} connections`
          : 'one PGlite',
        null,
        throughput.errors > 0
          ? { text: `${count(throughput.errors)} failed`, target: 'no failed requests', ok: false }
          : null,
        mode === 'postgres' ? 0.8 : null,
      ),
    )
    notes.push(
      `Throughput client: autocannon, ${concurrency} connections, ${seconds} s; against a trivial server returning the same ${count(found.page1Bytes)} bytes it drives ${count(ceiling.perSecond)} req/s, so it is not the bottleneck below that.`,
    )

    // Exports, CSV and JSON, with the process tree's memory.
    let peak = idle
    for (const format of ['csv', 'json'] as const) {
      const path = found.exportPath.replace(/export\.csv/, `export.${format}`)
      log(`Export ${path}…`)
      const figures = await measureExport({
        http,
        server,
        database,
        url,
        table,
        path,
        format,
        rows,
      })
      results.push(figures.row)
      peak = Math.max(peak, figures.peak)
    }
    if (mode === 'postgres') {
      results.push({
        name: `Process tree RSS (primary + ${workers} workers, ${args.tsx ? 'tsx' : 'compiled build'})`,
        http: `${megabytes(idle)} idle, ${megabytes(peak)} peak during the exports`,
        floor: '—',
        ratio: '—',
        target: '≤ 300 MB idle, ≤ 450 MB during an export',
        pass: idle <= 300 * MB && peak <= 450 * MB,
      })
    }

    // The REST API's figures.
    results.push(
      ...(await measureApi({
        origin: server.origin,
        database,
        table,
        rows,
        latency: latencyOptions,
        log,
      })),
    )

    notes.unshift(
      `${count(rows)} rows, ${found.pageCount.toLocaleString('en-US')} pages of 25; ${mode === 'postgres' ? `Postgres (${versionRows[0]?.v.split(' on ')[0]}), app = ${args.tsx ? 'src/main.ts through tsx' : 'node dist/src/main.js (as the Procfile runs it)'} with WEB_CONCURRENCY=${workers}, DATABASE_POOL_MAX=${POOL_PER_WORKER}, NODE_ENV=production` : 'PGlite, app in the bench process'}.`,
      `Machine: ${os.cpus().length} cores (${os.cpus()[0]?.model.trim()}), ${megabytes(os.totalmem())} RAM, Node ${process.version}; ${new Date().toISOString().slice(0, 16)}Z.`,
      `Load average (1 min) ${loadBefore.toFixed(1)} at the start, ${(os.loadavg()[0] ?? 0).toFixed(1)} at the end, on ${os.cpus().length} cores${Math.max(loadBefore, os.loadavg()[0] ?? 0) > os.cpus().length / 2 ? ': other processes were competing for the CPU, so figures are pessimistic' : ''}.`,
      `Latency: ${latencyOptions.warmup} warm-up then up to ${latencyOptions.requests} requests per case at concurrency 1 (cut at ${latencyOptions.maxSeconds} s, n shows the count); floor = the route's DataSource calls (findTable + listRows/getRow) on a direct connection.`,
      `Memory: summed VmRSS of the server processes sampled every 50 ms during each export, growth from just before it; idle = 3 s after start-up.`,
    )
    const heading = `### scripts/bench ${mode === 'pglite' ? '--pglite ' : ''}--rows ${rows}`
    const report = markdownReport(heading, notes, results)
    console.log(report)
    if (args.out) await writeFile(args.out, report)
    log(`Done in ${((Date.now() - started) / 1000).toFixed(0)} s`)
  } finally {
    client.current?.close()
    await server?.stop()
    await database.close()
  }
}

try {
  await main()
} catch (error) {
  console.error(error)
  process.exit(1)
}
