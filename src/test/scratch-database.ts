// A fresh, migrated database for a test that starts the app itself: on the TEST_DATABASE_URL
// server, or a PGlite folder of its own. Returns the settings that point the app at it.
import { randomBytes } from 'node:crypto'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import pg from 'pg'
import { openPostgres } from '../db/database.js'
import { migrateToLatest } from '../db/migrate.js'

async function admin(url: string, text: string) {
  const client = new pg.Client({ connectionString: url })
  await client.connect()
  try {
    await client.query(text)
  } finally {
    await client.end()
  }
}

export async function createScratchDatabase(): Promise<{
  env: Record<string, string>
  drop(): Promise<void>
}> {
  const adminUrl = process.env.TEST_DATABASE_URL
  if (!adminUrl) {
    const dir = mkdtempSync(join(tmpdir(), 'hostedapi-pglite-'))
    return {
      env: { PGLITE_DIR: dir },
      drop: async () => rmSync(dir, { recursive: true, force: true }),
    }
  }
  const name = `hostedapi_scratch_${randomBytes(6).toString('hex')}`
  await admin(adminUrl, `create database ${name}`)
  const url = new URL(adminUrl)
  url.pathname = `/${name}`
  const database = openPostgres(url.toString(), 1)
  await migrateToLatest(database.db)
  await database.close()
  return {
    env: { DATABASE_URL: url.toString() },
    drop: () => admin(adminUrl, `drop database if exists ${name} with (force)`),
  }
}
