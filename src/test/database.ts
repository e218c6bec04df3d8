// Test databases: a fresh in-memory PGlite, or a fresh Postgres database when TEST_DATABASE_URL is set.
import { randomBytes } from 'node:crypto'
import pg from 'pg'
import { type Database, openPglite, openPostgres } from '../db/database.js'
import { migrateToLatest } from '../db/migrate.js'

async function adminQuery(url: string, text: string): Promise<void> {
  const client = new pg.Client({ connectionString: url })
  await client.connect()
  try {
    await client.query(text)
  } finally {
    await client.end()
  }
}

// Each test file gets its own database, so files can run in parallel without sharing state.
export async function createTestDatabase(): Promise<Database> {
  const url = process.env.TEST_DATABASE_URL
  if (!url) {
    const database = await openPglite(null)
    await migrateToLatest(database.db)
    return database
  }
  const name = `hostedapi_test_${randomBytes(6).toString('hex')}`
  await adminQuery(url, `create database ${name}`)
  const testUrl = new URL(url)
  testUrl.pathname = `/${name}`
  const database = openPostgres(testUrl.toString(), 4)
  await migrateToLatest(database.db)
  return {
    ...database,
    async close() {
      await database.close()
      await adminQuery(url, `drop database if exists ${name} with (force)`)
    },
  }
}
