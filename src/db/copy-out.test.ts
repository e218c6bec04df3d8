import { sql } from 'kysely'
import pg from 'pg'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createTestDatabase } from '../test/database.js'
import { COPY_OUT_CHUNK_BYTES, copyOutOf } from './copy-out.js'
import type { Database } from './database.js'

// The pg side of copyOut, on a client of its own: Postgres only.
const url = process.env.TEST_DATABASE_URL
let database: Database
let client: pg.Client
beforeAll(async () => {
  if (!url) return
  database = await createTestDatabase()
  client = new pg.Client({ connectionString: url })
  await client.connect()
})
afterAll(async () => {
  await client?.end().catch(() => {})
  await database?.close()
})

// About 5 MB: many chunks, more than the socket buffers hold.
const COPY = `copy (select n, repeat('x', 100) from generate_series(1, 50000) as n) to stdout`
const pidOf = async (c: pg.Client) =>
  Number((await c.query<{ pid: number }>('select pg_backend_pid() as pid')).rows[0]?.pid)

describe.skipIf(!url)('copyOutOf', () => {
  it('hands on every byte in chunks of about 64 kB, and counts the rows', async () => {
    let bytes = 0
    let largest = 0
    const rows = await copyOutOf(
      client as unknown as pg.PoolClient,
      COPY,
      async (chunk) => {
        bytes += chunk.length
        largest = Math.max(largest, chunk.length)
      },
      async () => {},
    )
    expect(rows).toBe(50_000)
    expect(bytes).toBeGreaterThan(5_000_000)
    expect(largest).toBeLessThan(COPY_OUT_CHUNK_BYTES * 2)
  })

  it('cancels the query when the reader goes away, and the connection serves the next query', async () => {
    const pid = await pidOf(client)
    const gone = new Error('The reader went away')
    let cancels = 0
    let chunks = 0
    const copy = copyOutOf(
      client as unknown as pg.PoolClient,
      COPY,
      async () => {
        if (++chunks === 2) throw gone
      },
      async () => {
        cancels++
        await sql`select pg_cancel_backend(${pid})`.execute(database.db)
      },
    )
    await expect(copy).rejects.toBe(gone)
    expect(cancels).toBe(1)
    expect((await client.query('select 1 as one')).rows).toEqual([{ one: 1 }])
  })

  it('closes the connection when the cancel cannot be sent', async () => {
    const own = new pg.Client({ connectionString: url })
    await own.connect()
    own.on('error', () => {})
    const gone = new Error('The reader went away')
    const copy = copyOutOf(
      own as unknown as pg.PoolClient,
      COPY,
      async () => {
        throw gone
      },
      async () => {
        throw new Error('No connection for the cancel')
      },
    )
    await expect(copy).rejects.toBe(gone)
    await own.end().catch(() => {})
  })

  it('passes on what Postgres refuses', async () => {
    const copy = copyOutOf(
      client as unknown as pg.PoolClient,
      'copy (select 1 / 0) to stdout',
      async () => {},
      async () => {},
    )
    await expect(copy).rejects.toThrow('division by zero')
    expect((await client.query('select 2 as two')).rows).toEqual([{ two: 2 }])
  })
})
