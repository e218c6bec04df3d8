import { existsSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { sql } from 'kysely'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createTestDatabase } from '../test/database.js'
import { type Database, openDatabase, openPglite } from './database.js'
import { migrateToLatest } from './migrate.js'

const COPY = 'copy copy_target (id, name) from stdin with (format csv)'

async function* chunksOf(...chunks: string[]): AsyncGenerator<string> {
  for (const chunk of chunks) yield chunk
}

const names = async (database: Database) =>
  (
    await sql<{ name: string }>`select name from copy_target order by id`.execute(database.db)
  ).rows.map((row) => row.name)

// The same COPY behaviour, whichever driver opened the database.
function copyInBehaviour(open: () => Promise<Database>) {
  let database: Database
  beforeAll(async () => {
    database = await open()
    await sql`create table copy_target (id integer primary key, name text not null)`.execute(
      database.db,
    )
  })
  afterAll(() => database.close())
  const reset = () => sql`truncate copy_target`.execute(database.db)

  it('copies every chunk into the table inside the transaction, and counts the rows', async () => {
    await reset()
    const count = await database.db
      .transaction()
      .execute((trx) =>
        database.copyIn(trx, COPY, chunksOf('1,Wren\n2,Robin\n', '3,"Jay, blue"\n')),
      )
    expect(count).toBe(3)
    expect(await names(database)).toEqual(['Wren', 'Robin', 'Jay, blue'])
  })

  it('refuses a bad value in a later chunk and leaves nothing behind', async () => {
    await reset()
    const copy = database.db
      .transaction()
      .execute((trx) => database.copyIn(trx, COPY, chunksOf('1,Wren\n', 'two,Robin\n')))
    await expect(copy).rejects.toMatchObject({ code: '22P02' })
    expect(await names(database)).toEqual([])
    // The connection is usable again afterwards.
    const again = await database.db
      .transaction()
      .execute((trx) => database.copyIn(trx, COPY, chunksOf('5,Owl\n')))
    expect(again).toBe(1)
  })

  it('refuses a duplicate key with the unique-violation code, rolling back the first rows', async () => {
    await reset()
    const copy = database.db
      .transaction()
      .execute((trx) => database.copyIn(trx, COPY, chunksOf('1,Wren\n', '1,Robin\n')))
    await expect(copy).rejects.toMatchObject({ code: '23505' })
    expect(await names(database)).toEqual([])
  })

  return () => database
}

describe('copyIn on PGlite', () => {
  copyInBehaviour(() => openPglite(null))
})

describe.runIf(process.env.TEST_DATABASE_URL)('copyIn on Postgres', () => {
  const current = copyInBehaviour(createTestDatabase)

  it('stops the COPY and rolls back when the rows being sent fail midway', async () => {
    const database = current()
    await sql`truncate copy_target`.execute(database.db)
    async function* failing(): AsyncGenerator<string> {
      yield '1,Wren\n'
      throw new Error('the file could not be read')
    }
    const copy = database.db.transaction().execute((trx) => database.copyIn(trx, COPY, failing()))
    await expect(copy).rejects.toThrow('the file could not be read')
    expect(await names(database)).toEqual([])
  })

  it('waits for the server to drain a chunk larger than the stream buffer', async () => {
    const database = current()
    await sql`truncate copy_target`.execute(database.db)
    const rows = Array.from({ length: 20_000 }, (_, i) => `${i + 1},name ${i + 1}\n`)
    const count = await database.db
      .transaction()
      .execute((trx) => database.copyIn(trx, COPY, chunksOf(rows.join(''), '20001,last\n')))
    expect(count).toBe(20_001)
    const { rows: counted } = await sql<{
      n: number
    }>`select count(*) as n from copy_target`.execute(database.db)
    // int8 counts come back as numbers, not strings.
    expect(counted[0]?.n).toBe(20_001)
  })

  it('refuses to COPY outside a transaction, where it cannot find the connection', async () => {
    const database = current()
    await expect(database.copyIn(database.db, COPY, chunksOf('9,Kite\n'))).rejects.toThrow(
      'COPY needs the transaction’s own connection',
    )
  })
})

describe('openDatabase', () => {
  let dir: string
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'hostedapi-db-test-'))
  })
  afterAll(() => rmSync(dir, { recursive: true, force: true }))

  it('opens PGlite in the data directory, creating it, when no DATABASE_URL is set', async () => {
    const pgliteDir = join(dir, 'nested', 'pglite')
    const database = await openDatabase({ databaseUrl: null, databasePoolMax: 2, pgliteDir })
    try {
      expect(database.kind).toBe('pglite')
      const { rows } = await sql<{ answer: number }>`select 6 * 7 as answer`.execute(database.db)
      expect(rows).toEqual([{ answer: 42 }])
      expect(existsSync(join(pgliteDir, 'PG_VERSION'))).toBe(true)
    } finally {
      await database.close()
    }
  })

  it('opens a Postgres pool for a DATABASE_URL, connecting only when first used', async () => {
    const database = await openDatabase({
      databaseUrl: 'postgres://nobody@127.0.0.1:9/nothing',
      databasePoolMax: 2,
      pgliteDir: join(dir, 'unused'),
    })
    try {
      expect(database.kind).toBe('postgres')
      await expect(sql`select 1`.execute(database.db)).rejects.toMatchObject({
        code: 'ECONNREFUSED',
      })
      expect(existsSync(join(dir, 'unused'))).toBe(false)
    } finally {
      await database.close()
    }
  })
})

describe('migrateToLatest', () => {
  let database: Database
  beforeAll(async () => {
    database = await createTestDatabase()
  })
  afterAll(() => database.close())

  it('does nothing on a database that is up to date', async () => {
    const result = await migrateToLatest(database.db)
    expect(result.results).toEqual([])
  })

  it('refuses a database that ran a migration this code does not have', async () => {
    await database.db
      .insertInto('kysely_migration' as never)
      .values({ name: '9999_from_a_newer_release', timestamp: new Date().toISOString() } as never)
      .execute()
    await expect(migrateToLatest(database.db)).rejects.toThrow(
      /previously executed migration 9999_from_a_newer_release is missing/,
    )
  })
})
