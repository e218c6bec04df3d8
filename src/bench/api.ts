// The REST API's figures (issue 10): GET rows at the start and deep by cursor beside their SQL floor,
// POST of 1,000 rows and of one, and what the token check and the rate limiter add.
import http from 'node:http'
import { LIST_CELL_CHARS } from '../application/rows.js'
import { createApiToken } from '../auth/tokens.js'
import { findTable } from '../datasource/catalog.js'
import { encodeCursor } from '../datasource/keyset.js'
import { listRowsAfter } from '../datasource/list-rows.js'
import { createTable, deleteTable } from '../datasource/tables.js'
import type { TableInfo } from '../datasource/types.js'
import type { Database } from '../db/database.js'
import { BENCH_COLUMNS, benchRows } from './data.js'
import { readLinkDisplays } from './floor.js'
import { count, latencyText, type ResultRow } from './report.js'
import { BENCH_USERNAME, ensureBenchUser } from './setup.js'
import { elapsedMs, type Latency, type LatencyOptions, measureLatency } from './stats.js'

interface Answer {
  status: number
  body: string
}

// A keep-alive client for JSON requests with headers.
class ApiClient {
  private readonly agent = new http.Agent({ keepAlive: true, maxSockets: 4 })
  constructor(private readonly origin: string) {}

  request(method: string, path: string, headers: Record<string, string>, body?: string) {
    return new Promise<Answer>((resolve, reject) => {
      const req = http.request(
        `${this.origin}${path}`,
        { method, agent: this.agent, headers },
        (res) => {
          const chunks: Buffer[] = []
          res.on('data', (chunk: Buffer) => chunks.push(chunk))
          res.on('end', () =>
            resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }),
          )
          res.on('error', reject)
        },
      )
      req.on('error', reject)
      req.end(body)
    })
  }

  async ok(method: string, path: string, headers: Record<string, string>, body?: string) {
    const answer = await this.request(method, path, headers, body)
    if (answer.status >= 300) {
      throw new Error(`${method} ${path} answered ${answer.status}: ${answer.body.slice(0, 300)}`)
    }
    return answer
  }

  close() {
    this.agent.destroy()
  }
}

const ms = (value: number) => `${value.toFixed(2)} ms`

// Bench rows as the API takes them: keyed by column slug, typed, blank as null.
function apiRows(table: TableInfo, n: number, seed: number): Record<string, unknown>[] {
  return Array.from(benchRows(n, seed), (fields) =>
    Object.fromEntries(
      table.columns.map((column, index) => {
        const text = fields[index] ?? ''
        if (text === '') return [column.slug, null]
        if (column.type === 'integer') return [column.slug, Number(text)]
        if (column.type === 'boolean') return [column.slug, text === 'true']
        return [column.slug, text]
      }),
    ),
  )
}

export async function measureApi(options: {
  origin: string
  database: Database
  table: TableInfo
  rows: number
  latency: LatencyOptions
  log: (line: string) => void
}): Promise<ResultRow[]> {
  const { database, table, rows, latency, log } = options
  const { db } = database
  const userId = await ensureBenchUser(database)
  const { token } = await createApiToken(db, {
    userId,
    name: `bench ${Date.now()}`,
    scopes: ['read', 'write'],
    tableIds: null,
    expiresAt: null,
  })
  const bearer = { authorization: `Bearer ${token}` }
  const json = { ...bearer, 'content-type': 'application/json' }
  const api = new ApiClient(options.origin)
  const base = `/api/v1/${BENCH_USERNAME}/tables/${table.slug}`
  const results: ResultRow[] = []
  const writes = await createTable(db, {
    ownerId: userId,
    name: `Bench writes ${Date.now()}`,
    columns: BENCH_COLUMNS,
    isPublic: false,
  })
  try {
    // GET rows, first page and deep by cursor, beside the DataSource calls the route makes (the rows
    // and their links' display values).
    const deep = encodeCursor({ key: null, id: Math.max(0, rows - 150) })
    for (const [name, after] of [
      ['API GET rows, limit 100', null],
      [`API GET rows, limit 100, cursor at row ${count(rows - 150)}`, deep],
    ] as const) {
      const path = `${base}/rows?limit=100${after ? `&after=${after}` : ''}`
      log(`${name}: ${path}`)
      const httpLatency = await measureLatency(() => api.ok('GET', path, bearer), latency)
      const floor = await measureLatency(async () => {
        const found = await findTable(db, BENCH_USERNAME, table.slug)
        if (found.found !== 'table') throw new Error('No bench table')
        const page = await listRowsAfter(db, found.table, {
          search: '',
          order: null,
          after: after ? { key: null, id: Math.max(0, rows - 150) } : null,
          limit: 100,
          cellChars: LIST_CELL_CHARS,
        })
        // As the route does: the display values of the page's links.
        await readLinkDisplays(db, found.table, page.rows)
        return page
      }, latency)
      const limit = 2 * floor.p50 + 2
      results.push({
        name: `${name} (n=${httpLatency.n})`,
        http: latencyText(httpLatency),
        floor: latencyText(floor),
        ratio: `${(httpLatency.p50 / floor.p50).toFixed(1)}×`,
        target: `p50 ≤ 10, p50 ≤ 2×floor+2 (${limit.toFixed(1)})`,
        pass: httpLatency.p50 <= 10 && httpLatency.p50 <= limit,
      })
    }

    // The token check and the rate limiter: the same request with and without a token, alternated
    // (the bench runs with no limit for requests without a token).
    const path = `${base}/rows?limit=1`
    const withToken: number[] = []
    const without: number[] = []
    for (let i = 0; i < latency.warmup; i++) await api.ok('GET', path, bearer)
    for (let i = 0; i < latency.requests; i++) {
      let start = process.hrtime.bigint()
      await api.ok('GET', path, bearer)
      withToken.push(elapsedMs(start))
      start = process.hrtime.bigint()
      await api.ok('GET', path, {})
      without.push(elapsedMs(start))
    }
    const median = (values: number[]) =>
      values.sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? 0
    const cost = median(withToken) - median(without)
    results.push({
      name: `API token check + rate limit (n=${latency.requests} each)`,
      http: `${ms(median(withToken))} with a token`,
      floor: `${ms(median(without))} without`,
      ratio: `+${ms(cost)}`,
      target: 'adds ≤ 1 ms at p50',
      pass: cost <= 1,
    })

    // Writes: 1,000 rows in one POST, and one row, into a table with the bench table's columns
    // (and so its indexes).
    const writePath = `/api/v1/${BENCH_USERNAME}/tables/${writes.slug}/rows`
    const batches = Array.from({ length: 12 }, (_, i) =>
      JSON.stringify(apiRows(writes, 1000, 7000 + i)),
    )
    let batch = 0
    const post1000: Latency = await measureLatency(
      () => api.ok('POST', writePath, json, batches[batch++ % batches.length]),
      { ...latency, warmup: 2, requests: 10, minRequests: 5 },
    )
    const rate = 1000 / (post1000.p50 / 1000)
    results.push({
      name: `API POST 1,000 rows (n=${post1000.n})`,
      http: `${count(rate)} rows/s (p50 ${ms(post1000.p50)})`,
      floor: '—',
      ratio: '—',
      target: '≥ 30,000 rows/s',
      pass: rate >= 30_000,
    })
    const singles = apiRows(writes, 500, 9000).map((row) => JSON.stringify(row))
    let single = 0
    const post1 = await measureLatency(
      () => api.ok('POST', writePath, json, singles[single++ % singles.length]),
      latency,
    )
    results.push({
      name: `API POST one row (n=${post1.n})`,
      http: latencyText(post1),
      floor: '—',
      ratio: '—',
      target: 'p50 ≤ 10',
      pass: post1.p50 <= 10,
    })
  } finally {
    api.close()
    await deleteTable(db, writes.id)
  }
  return results
}
