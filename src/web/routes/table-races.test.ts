import { sql } from 'kysely'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { findTable, getTableById } from '../../datasource/catalog.js'
import { tableRef } from '../../datasource/names.js'
import { createTable } from '../../datasource/tables.js'
import { createTestApp, signedInBrowser, type TestApp } from '../../test/app.js'
import type { Browser } from '../../test/browser.js'

let t: TestApp
let alice: Browser
let aliceId: number
beforeAll(async () => {
  t = await createTestApp()
  const signedIn = await signedInBrowser(t, 'alice')
  alice = signedIn.browser
  aliceId = signedIn.user.id
})
afterAll(() => t.database.close())

describe('racing requests', () => {
  it('make one table of a name, and tell the others it is taken', async () => {
    await alice.get('/alice/tables/new')
    const results = await Promise.all(
      [1, 2, 3].map(() => alice.post('/alice/tables/new', { name: 'Same name' })),
    )
    expect(results.map((res) => res.status).sort()).toEqual([303, 400, 400])
    for (const res of results.filter((res) => res.status === 400)) {
      expect(await res.text()).toContain('You already have a table called “same-name”')
    }
    expect((await findTable(t.database.db, 'alice', 'same-name')).found).toBe('table')
  })

  it('add rows while columns come and go, with no 5xx and no row lost', async () => {
    const table = await createTable(t.database.db, {
      ownerId: aliceId,
      name: 'Busy',
      columns: [{ name: 'Name', type: 'text' }],
    })
    const base = '/alice/tables/busy'
    await alice.get(`${base}/new`)
    const changes = [1, 2, 3].map(async (round) => {
      const added = await alice.post(`${base}/columns`, { name: `Extra ${round}`, type: 'integer' })
      const removed = await alice.post(`${base}/columns/extra_${round}/delete`)
      return [added.status, removed.status]
    })
    const inserts = Array.from({ length: 24 }, (_, i) =>
      alice.post(`${base}/new`, { name: `Row ${i}`, [`extra_${(i % 3) + 1}`]: String(i) }),
    )
    const reads = Array.from({ length: 12 }, () => t.app.request(`http://localhost${base}`))
    const statuses = (await Promise.all([...inserts, ...reads])).map((res) => res.status)
    expect((await Promise.all(changes)).flat()).toEqual([303, 303, 303, 303, 303, 303])
    expect(statuses.filter((status) => status >= 500)).toEqual([])
    expect(statuses.filter((status) => status === 303)).toHaveLength(24)
    const { rows } = await sql<{ n: number }>`
      select count(*)::int as n from ${tableRef(table.id)}`.execute(t.database.db)
    expect(rows[0]?.n).toBe(24)
    expect((await getTableById(t.database.db, table.id))?.rowCount).toBe(24)
  })
})
