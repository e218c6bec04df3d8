import { sql } from 'kysely'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { insertRows } from '../datasource/row-writes.js'
import { createTable } from '../datasource/tables.js'
import type { TableInfo } from '../datasource/types.js'
import { apiRequest, tokenFor } from '../test/api.js'
import { createTestApp, signedInBrowser, type TestApp } from '../test/app.js'

let t: TestApp
let token: string
let table: TableInfo
beforeAll(async () => {
  t = await createTestApp()
  const { user } = await signedInBrowser(t, 'ada')
  token = await tokenFor(t, user.id, ['read', 'write', 'schema'])
  table = await createTable(t.database.db, {
    ownerId: user.id,
    name: 'Animals',
    columns: [
      { name: 'Name', type: 'text', required: true },
      { name: 'Legs', type: 'integer' },
      { name: 'Weight', type: 'decimal' },
      { name: 'Tame', type: 'boolean' },
      { name: 'Born', type: 'date' },
      { name: 'Notes', type: 'json' },
    ],
  })
  await insertRows(t.database.db, table, [{ name: 'Wren', legs: '2' }])
})
afterAll(() => t.database.close())

// What a refused request must leave as it was: the catalog and the table's rows.
async function snapshot() {
  const db = t.database.db
  const catalog = await sql`select (select json_agg(t order by id) from tables t) as tables,
    (select json_agg(c order by id) from columns c) as columns`.execute(db)
  const rows = await sql`select * from ${sql.id('userdata', `t${table.id}`)} order by id`.execute(
    db,
  )
  return JSON.stringify({ catalog: catalog.rows, rows: rows.rows })
}

const nested = (depth: number) => `${'['.repeat(depth)}${']'.repeat(depth)}`
const row = (values: Record<string, unknown>) => ({ name: 'Robin', ...values })
const TEN_MB = 'x'.repeat(10 * 1024 * 1024)

// [name, body] — a body is JSON (an object made into text), raw text, or raw bytes.
const HOSTILE: [string, unknown][] = [
  ['not JSON', '{"name": '],
  ['invalid UTF-8', new Uint8Array([0x7b, 0x22, 0x6e, 0x22, 0x3a, 0x22, 0xff, 0xfe, 0x22, 0x7d])],
  ['an empty body', ''],
  ['a number instead of an object', '42'],
  ['null', 'null'],
  ['nesting 5,000 deep', nested(5000)],
  ['a NUL in a string', { name: 'a\u0000b' }],
  ['an escaped lone surrogate', '{"name": "\\ud800"}'],
  ['1e309 where a number goes', '{"name": "x", "legs": 1e309, "weight": 1e309}'],
  ['2^63 as an integer', '{"name": "x", "legs": 9223372036854775808}'],
  ['-2^63 - 1 as an integer', '{"name": "x", "legs": -9223372036854775809}'],
  ['a string where a number goes', row({ legs: 'four' })],
  ['a number where text goes', { name: 5 }],
  ['an object where a boolean goes', row({ tame: { yes: true } })],
  ['an array where a value goes', row({ born: ['2017-06-08'] })],
  ['a date that does not exist', row({ born: '2023-02-30' })],
  ['an unknown field', row({ colour: 'brown' })],
  ['a 10 MB string', row({ name: TEN_MB })],
  ['1,001 rows', Array.from({ length: 1001 }, (_, i) => ({ name: `r${i}` }))],
  ['a good row and a bad one', [{ name: 'Good' }, { name: 'Bad', legs: 'x' }]],
  ['a missing required value', [{ legs: 4 }]],
]

// The routes that take a JSON body; the table's schema and rows must survive each refusal.
const ROUTES: [string, string][] = [
  ['POST', '/ada/tables'],
  ['PATCH', '/ada/tables/animals'],
  ['POST', '/ada/tables/animals/columns'],
  ['PATCH', '/ada/tables/animals/columns/legs'],
  ['POST', '/ada/tables/animals/rows'],
  ['PATCH', '/ada/tables/animals/rows/1'],
]

describe('hostile JSON bodies', () => {
  const cases = ROUTES.flatMap(([method, path]) =>
    HOSTILE.map(([name, body]) => [method, path, name, body] as const),
  )
  it.each(cases)('%s %s with %s: a 4xx problem, nothing changed', async (method, path, _, body) => {
    const before = await snapshot()
    const res = await apiRequest(t, method, path, { token, body })
    const text = await res.text()
    // Some bodies are sound for some routes (a number is a fine value elsewhere): then a 2xx is no
    // bug, but nothing may be half-written, and a refusal must be a problem, never a 5xx.
    expect(res.status, text.slice(0, 300)).toBeLessThan(500)
    // Every one of them is wrong as a new row.
    if (method === 'POST' && path.endsWith('/rows')) expect(res.status).toBeGreaterThanOrEqual(400)
    if (res.status >= 400) {
      expect(res.headers.get('content-type')).toContain('application/problem+json')
      expect(JSON.parse(text)).toMatchObject({ status: res.status, title: expect.any(String) })
      expect(await snapshot()).toBe(before)
    }
  })

  it('refuses 1,001 rows by name, and a bad row by its index and field', async () => {
    const many = await apiRequest(t, 'POST', '/ada/tables/animals/rows', {
      token,
      body: Array.from({ length: 1001 }, (_, i) => ({ name: `r${i}` })),
    })
    expect(many.status).toBe(400)
    expect((await many.json()).detail).toContain('At most 1,000 rows')
    const bad = await apiRequest(t, 'POST', '/ada/tables/animals/rows', {
      token,
      body: [{ name: 'Good' }, { name: 'Bad', legs: 'x' }, { legs: 3 }],
    })
    expect(await bad.json()).toMatchObject({
      status: 400,
      errors: [
        { pointer: '#/1/legs', detail: 'Must be a whole number' },
        { pointer: '#/2/name', detail: 'A value is required' },
      ],
    })
  })

  it('stores numbers in JSON exactly, as Postgres reads them', async () => {
    const res = await apiRequest(t, 'POST', '/ada/tables/animals/rows', {
      token,
      body: '{"name": "Exact", "legs": "9223372036854775807", "notes": {"big": 12345678901234567890123, "tiny": 1e-7}}',
    })
    expect(res.status).toBe(201)
    const text = await res.text()
    expect(text).toContain('"legs":"9223372036854775807"')
    expect(text).toContain('12345678901234567890123')
  })

  it('answers 415 to a body that is neither JSON nor CSV', async () => {
    const res = await apiRequest(t, 'POST', '/ada/tables/animals/rows', {
      token,
      body: 'name=x',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    })
    expect(res.status).toBe(415)
  })
})
