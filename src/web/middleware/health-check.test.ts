import { sql } from 'kysely'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createTestApp, type TestApp } from '../../test/app.js'

let t: TestApp
beforeAll(async () => {
  t = await createTestApp()
})
afterAll(() => t.database.close())

describe('GET /healthz', () => {
  it('answers 200 {"status":"ok"} without touching cookies', async () => {
    const res = await t.app.request('/healthz', { headers: { Cookie: 'session=stale' } })
    expect(res.status).toBe(200)
    expect(await res.json()).toEqual({ status: 'ok' })
    expect(res.headers.get('Cache-Control')).toBe('no-store')
    expect(res.headers.getSetCookie()).toEqual([])
    const head = await t.app.request('/healthz', { method: 'HEAD' })
    expect(head.status).toBe(200)
  })

  it('answers 503 within about a second while the database cannot answer, then 200 again', async () => {
    // Every connection the test database has (4 on Postgres, the one PGlite session) is taken.
    let release = () => {}
    const gate = new Promise<void>((resolve) => {
      release = resolve
    })
    const held = Array.from({ length: 4 }, () =>
      t.database.db.transaction().execute(async (trx) => {
        await sql`select 1`.execute(trx)
        await gate
      }),
    )
    await new Promise((resolve) => setTimeout(resolve, 200))
    const started = Date.now()
    const res = await t.app.request('/healthz')
    const waited = Date.now() - started
    expect(res.status).toBe(503)
    expect(await res.json()).toEqual({ status: 'unavailable' })
    expect(waited).toBeGreaterThanOrEqual(900)
    expect(waited).toBeLessThan(3000)
    release()
    await Promise.all(held)
    expect((await t.app.request('/healthz')).status).toBe(200)
  })
})
