import { sql } from 'kysely'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { readConfig } from '../config.js'
import { loadDemoData } from '../import/demo-data.js'
import { createPgCluster, hasPostgresBinaries, type PgCluster } from '../test/pg-cluster.js'
import { createApp } from '../web/app.js'
import { type Database, openDatabase } from './database.js'
import { migrateToLatest } from './migrate.js'
import { poolSsl, sslModeInUrl, withoutSslParams } from './ssl.js'

const HEROKU_URL = 'postgres://u:p@ec2-1-2-3-4.compute-1.amazonaws.com:5432/d8k'
const unverified = { rejectUnauthorized: false }

describe('poolSsl', () => {
  it.each([
    ['a Heroku add-on URL, by default', HEROKU_URL, null, unverified],
    ['localhost, by default', 'postgres://u@localhost:5432/app', null, false],
    ['127.0.0.1, by default', 'postgres://u@127.0.0.1/app', null, false],
    ['[::1], by default', 'postgres://u@[::1]:5432/app', null, false],
    ['a Unix socket, by default', 'postgres:///app?host=/var/run/postgresql', null, false],
    ['PGSSLMODE=disable on Heroku', HEROKU_URL, 'disable', false],
    ['PGSSLMODE=require', HEROKU_URL, 'require', unverified],
    ['PGSSLMODE=no-verify on localhost', 'postgres://u@localhost/app', 'no-verify', unverified],
    ['PGSSLMODE=verify-full', HEROKU_URL, 'verify-full', { rejectUnauthorized: true }],
  ] as const)('%s', (_, url, mode, expected) => {
    expect(poolSsl(url, mode)).toEqual(expected)
  })

  it('reads sslmode from the URL and takes it out, since pg would let it override ours', () => {
    const url = `${HEROKU_URL}?sslmode=verify-full&ssl=true&application_name=x`
    expect(sslModeInUrl(url)).toBe('verify-full')
    expect(sslModeInUrl(HEROKU_URL)).toBeNull()
    expect(withoutSslParams(url)).toBe(`${HEROKU_URL}?application_name=x`)
  })

  it('refuses an sslmode it cannot honour, in one line naming the setting', () => {
    expect(() => sslModeInUrl(`${HEROKU_URL}?sslmode=prefer`)).toThrow(
      'sslmode=prefer in DATABASE_URL is not supported (use disable, require, no-verify, verify-full)',
    )
    expect(() => readConfig({ DATABASE_URL: `${HEROKU_URL}?sslmode=allow` })).toThrow(
      'sslmode=allow in DATABASE_URL',
    )
    expect(readConfig({ DATABASE_URL: `${HEROKU_URL}?sslmode=require` }).databaseSslMode).toBe(
      'require',
    )
  })
})

// Like Heroku Postgres: TLS only, with a certificate no system root vouches for.
describe.runIf(hasPostgresBinaries)('a Postgres that accepts only SSL', () => {
  let cluster: PgCluster
  beforeAll(async () => {
    cluster = await createPgCluster({ ssl: true, host: '127.0.0.2' })
  })
  afterAll(() => cluster?.destroy())

  const open = (sslMode: 'disable' | 'verify-full' | null) =>
    openDatabase({
      databaseUrl: cluster.url(),
      databasePoolMax: 2,
      databaseSslMode: sslMode,
      pgliteDir: 'unused',
    })

  it('migrates, imports and serves pages over TLS with the default settings', async () => {
    const database: Database = await open(null)
    try {
      const { rows } = await sql<{
        ssl: boolean
      }>`select ssl from pg_stat_ssl where pid = pg_backend_pid()`.execute(database.db)
      expect(rows).toEqual([{ ssl: true }])
      await migrateToLatest(database.db)
      await loadDemoData(database)
      const app = createApp({ config: readConfig({ NODE_ENV: 'test' }), database })
      const home = await app.request('/')
      expect(home.status).toBe(200)
      expect(await home.text()).toContain('2017')
      const page = await app.request('/demo/tables/uk-general-election-2017?format=json')
      expect(page.status).toBe(200)
      expect((await page.json()).total).toBe(3304)
    } finally {
      await database.close()
    }
  })

  it.each([
    ['disable', /no pg_hba.conf entry .* no encryption/],
    ['verify-full', /self[- ]signed certificate/],
  ] as const)('refuses PGSSLMODE=%s with the reason', async (mode, reason) => {
    const database = await open(mode)
    try {
      await expect(sql`select 1`.execute(database.db)).rejects.toThrow(reason)
    } finally {
      await database.close()
    }
  })
})
