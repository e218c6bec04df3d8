import pg from 'pg'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { readConfig } from '../config.js'
import type { CsvRecord } from '../csv/index.js'
import { importNewTable } from '../datasource/import.js'
import { ensureDemoUser } from '../import/demo-data.js'
import { createPgCluster, hasPostgresBinaries, type PgCluster } from '../test/pg-cluster.js'
import { createApp } from '../web/app.js'
import { type Database, openPostgres } from './database.js'
import { migrateToLatest } from './migrate.js'

// The app's pool against a server of its own, which the tests take away and bring back.
describe.runIf(hasPostgresBinaries)('when the database goes away', () => {
  let cluster: PgCluster
  let database: Database
  let app: ReturnType<typeof createApp>

  async function admin(text: string) {
    const client = new pg.Client({ connectionString: cluster.url() })
    await client.connect()
    try {
      return (await client.query(text)).rows
    } finally {
      await client.end()
    }
  }
  const terminateAppBackends = () =>
    admin(
      "select pg_terminate_backend(pid) from pg_stat_activity where datname = 'app' and pid <> pg_backend_pid()",
    )

  beforeAll(async () => {
    cluster = await createPgCluster()
    await admin('create database app')
    database = openPostgres(cluster.url('app'), 3)
    await migrateToLatest(database.db)
    const ownerId = await ensureDemoUser(database)
    async function* rows(): AsyncGenerator<CsvRecord> {
      for (let i = 1; i <= 12_000; i++) yield { line: i + 1, fields: [`row ${i}`, String(i)] }
    }
    const columns = [
      { name: 'Name', type: 'text' as const },
      { name: 'Number', type: 'integer' as const },
    ]
    await importNewTable(database, { ownerId, name: 'Many', columns }, rows())
    app = createApp({ config: readConfig({ NODE_ENV: 'test' }), database })
  })
  afterAll(async () => {
    await database?.close()
    await cluster?.destroy()
  })

  it('keeps serving after its idle connections are terminated', async () => {
    await Promise.all([app.request('/'), app.request('/demo'), app.request('/healthz')])
    const [{ count }] = await admin(
      "select count(*)::int as count from pg_stat_activity where datname = 'app'",
    )
    expect(count).toBeGreaterThan(0)
    await terminateAppBackends()
    await new Promise((resolve) => setTimeout(resolve, 300))
    const res = await app.request('/demo')
    expect(res.status).toBe(200)
    expect(await res.text()).toContain('Many')
  })

  it('ends an export whose connection is terminated mid-way, and serves the next request', async () => {
    const res = await app.request('/demo/tables/many/export.csv')
    expect(res.status).toBe(200)
    const reader = (res.body as ReadableStream<Uint8Array>).getReader()
    const first = await reader.read()
    expect(new TextDecoder().decode(first.value)).toMatch(/^Name,Number\n/)
    // The export's connection now waits, checked out, for the client to ask for more.
    await terminateAppBackends()
    await new Promise((resolve) => setTimeout(resolve, 300))
    let received = first.value?.length ?? 0
    await expect(
      (async () => {
        for (;;) {
          const next = await reader.read()
          if (next.done) return received
          received += next.value.length
        }
      })(),
    ).rejects.toThrow()
    const page = await app.request('/demo/tables/many?format=json')
    expect(page.status).toBe(200)
    expect((await page.json()).total).toBe(12_000)
  })

  it('answers 503 quickly while the server is down, and recovers by itself', async () => {
    await cluster.stop()
    try {
      const started = Date.now()
      const html = await app.request('/demo/tables/many')
      expect(html.status).toBe(503)
      expect(html.headers.get('Retry-After')).toBe('5')
      expect(await html.text()).toContain('The database is not answering just now')
      expect(Date.now() - started).toBeLessThan(6000)
      const json = await app.request('/demo?format=json')
      expect(json.status).toBe(503)
      expect(await json.json()).toEqual({
        type: 'about:blank',
        status: 503,
        title: 'Service Unavailable',
        detail: 'The database is not answering just now. Please try again in a few seconds.',
      })
      expect((await app.request('/healthz')).status).toBe(503)
    } finally {
      await cluster.start()
    }
    expect((await app.request('/healthz')).status).toBe(200)
    const page = await app.request('/demo/tables/many?format=json')
    expect(page.status).toBe(200)
    expect((await page.json()).total).toBe(12_000)
  })
})
