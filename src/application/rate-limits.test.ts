import { sql } from 'kysely'
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import type { Database } from '../db/database.js'
import { createTestDatabase } from '../test/database.js'
import { deleteExpiredRateLimits, hitRateLimit } from './rate-limits.js'

let database: Database
beforeAll(async () => {
  database = await createTestDatabase()
})
afterAll(() => database.close())

const hit = (key: string, limit = 3, windowSeconds = 60) =>
  hitRateLimit(database.db, { key, limit, windowSeconds })
const counters = async () =>
  (
    await sql<{ key: string }>`select key from rate_limits order by key`.execute(database.db)
  ).rows.map((row) => row.key)
const endWindow = (key: string, secondsAgo: number) =>
  sql`update rate_limits set resets_at = now() - ${secondsAgo} * interval '1 second' where key = ${key}`.execute(
    database.db,
  )

describe('hitRateLimit', () => {
  it('allows `limit` requests in a window, then refuses, counting down what is left', async () => {
    const results = []
    for (let n = 0; n < 5; n++) results.push(await hit('test:a'))
    expect(results.map((r) => [r.allowed, r.remaining])).toEqual([
      [true, 2],
      [true, 1],
      [true, 0],
      [false, 0],
      [false, 0],
    ])
    for (const result of results) {
      expect(result.limit).toBe(3)
      expect(result.resetSeconds).toBeGreaterThanOrEqual(59)
      expect(result.resetSeconds).toBeLessThanOrEqual(60)
    }
  })

  it('keeps keys apart', async () => {
    for (let n = 0; n < 3; n++) await hit('test:b')
    expect((await hit('test:b')).allowed).toBe(false)
    expect((await hit('test:c')).allowed).toBe(true)
  })

  it('starts counting again when the window is over', async () => {
    for (let n = 0; n < 4; n++) await hit('test:d')
    await endWindow('test:d', 1)
    const fresh = await hit('test:d')
    expect([fresh.allowed, fresh.remaining]).toEqual([true, 2])
    expect(fresh.resetSeconds).toBeGreaterThanOrEqual(59)
  })

  it('counts every one of many requests at once exactly (one upsert each)', async () => {
    const results = await Promise.all(Array.from({ length: 20 }, () => hit('test:e', 10)))
    expect(results.filter((r) => r.allowed)).toHaveLength(10)
    expect(results.map((r) => r.remaining).sort((a, b) => a - b)).toEqual([
      ...Array(11).fill(0),
      1,
      2,
      3,
      4,
      5,
      6,
      7,
      8,
      9,
    ])
  })
})

describe('old counters', () => {
  it('are deleted a minute after their window ends', async () => {
    await hit('test:old')
    await hit('test:recent')
    await endWindow('test:old', 120)
    await endWindow('test:recent', 10)
    expect(await deleteExpiredRateLimits(database.db)).toBe(1)
    const left = await counters()
    expect(left).toContain('test:recent')
    expect(left).not.toContain('test:old')
  })

  it('are swept by the process now and then, not on every request', async () => {
    await hit('test:sweep-old')
    await endWindow('test:sweep-old', 120)
    await hit('test:other')
    expect(await counters()).toContain('test:sweep-old')
    vi.useFakeTimers({ toFake: ['Date'] })
    try {
      vi.setSystemTime(Date.now() + 11 * 60 * 1000)
      await hit('test:other')
    } finally {
      vi.useRealTimers()
    }
    await vi.waitFor(async () => expect(await counters()).not.toContain('test:sweep-old'))
  })

  it('are left for next time when sweeping them fails, and the request is still counted', async () => {
    await sql`create function refuse_delete() returns trigger language plpgsql as
      $$ begin raise exception 'not now'; end $$`.execute(database.db)
    await sql`create trigger refuse_delete before delete on rate_limits
      for each row execute function refuse_delete()`.execute(database.db)
    const logged = vi.spyOn(console, 'error').mockImplementation(() => {})
    try {
      await hit('test:kept')
      await endWindow('test:kept', 120)
      vi.useFakeTimers({ toFake: ['Date'] })
      try {
        vi.setSystemTime(Date.now() + 30 * 60 * 1000)
        expect((await hit('test:another')).allowed).toBe(true)
      } finally {
        vi.useRealTimers()
      }
      await vi.waitFor(() =>
        expect(logged).toHaveBeenCalledWith('Sweeping rate limits failed', expect.anything()),
      )
      expect(await counters()).toContain('test:kept')
    } finally {
      logged.mockRestore()
      await sql`drop trigger refuse_delete on rate_limits`.execute(database.db)
    }
  })
})
