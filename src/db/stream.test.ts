import { sql } from 'kysely'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { createTestDatabase } from '../test/database.js'
import type { Database, Db } from './database.js'
import { streamInTransaction } from './stream.js'

let database: Database
beforeAll(async () => {
  database = await createTestDatabase()
  await sql`create table stream_log (n integer)`.execute(database.db)
})
afterAll(() => database.close())
beforeEach(async () => {
  await sql`truncate stream_log`.execute(database.db)
})

// Each batch is logged inside the producer's transaction, so the log shows what was committed.
const log = (trx: Db, n: number) => sql`insert into stream_log (n) values (${n})`.execute(trx)
const logged = async () =>
  (await sql<{ n: number }>`select n from stream_log order by n`.execute(database.db)).rows.map(
    (row) => row.n,
  )
const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

describe('streamInTransaction', () => {
  it('hands over every batch in order and commits the producer’s work', async () => {
    const batches: number[][] = []
    for await (const batch of streamInTransaction<number[]>(database.db, async (trx, emit) => {
      for (const n of [1, 2, 3]) {
        await log(trx, n)
        await emit([n, n * 10])
      }
    }))
      batches.push(batch)
    expect(batches).toEqual([
      [1, 10],
      [2, 20],
      [3, 30],
    ])
    expect(await logged()).toEqual([1, 2, 3])
  })

  it('stops the producer and rolls back when the consumer stops while the next batch is made', async () => {
    let madeAfterStop = false
    for await (const batch of streamInTransaction<number>(database.db, async (trx, emit) => {
      await log(trx, 1)
      await emit(1)
      // The consumer stops while this (slow) work is under way.
      await pause(50)
      await log(trx, 2)
      await emit(2)
      madeAfterStop = true
    })) {
      expect(batch).toBe(1)
      break
    }
    expect(madeAfterStop).toBe(false)
    expect(await logged()).toEqual([])
  })

  it('stops the producer and rolls back when the consumer stops with a batch waiting', async () => {
    let madeAfterStop = false
    for await (const batch of streamInTransaction<number>(database.db, async (trx, emit) => {
      await log(trx, 1)
      await emit(1)
      await emit(2)
      madeAfterStop = true
    })) {
      expect(batch).toBe(1)
      // Let the producer hand over the next batch before stopping.
      await pause(50)
      break
    }
    expect(madeAfterStop).toBe(false)
    expect(await logged()).toEqual([])
  })

  it('passes on the producer’s error after the batches it made, rolling back', async () => {
    const seen: number[] = []
    const consume = async () => {
      for await (const batch of streamInTransaction<number>(database.db, async (trx, emit) => {
        await log(trx, 1)
        await emit(1)
        throw new Error('the cursor broke')
      }))
        seen.push(batch)
    }
    await expect(consume()).rejects.toThrow('the cursor broke')
    expect(seen).toEqual([1])
    expect(await logged()).toEqual([])
  })

  it('passes on a database error raised before any batch', async () => {
    const consume = async () => {
      for await (const _ of streamInTransaction<number>(database.db, async (trx) => {
        await sql`select * from no_such_table`.execute(trx)
      })) {
        // never reached
      }
    }
    await expect(consume()).rejects.toMatchObject({ code: '42P01' })
  })
})
