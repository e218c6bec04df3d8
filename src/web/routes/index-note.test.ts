import { sql } from 'kysely'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { CsvRecord } from '../../csv/index.js'
import { importNewTable } from '../../datasource/import.js'
import { DEFERRED_INDEX_ROWS } from '../../datasource/indexes.js'
import type { TableInfo } from '../../datasource/types.js'
import { anonymousBrowser, createTestApp, signedInBrowser, type TestApp } from '../../test/app.js'

let t: TestApp
let birds: TableInfo
beforeAll(async () => {
  t = await createTestApp()
  const { user } = await signedInBrowser(t, 'ida')
  async function* records(): AsyncGenerator<CsvRecord> {
    yield { line: 2, fields: ['Wren', '3'] }
  }
  const columns = [
    { name: 'Bird', type: 'text' as const },
    { name: 'Count', type: 'integer' as const },
  ]
  birds = (
    await importNewTable(t.database, { ownerId: user.id, name: 'Birds', columns }, records())
  ).table
  // As after a big import whose index builds have not reached the Count column yet.
  await t.database.db
    .updateTable('tables')
    .set({ row_count: DEFERRED_INDEX_ROWS })
    .where('id', '=', birds.id)
    .execute()
  const count = birds.columns[1]?.id
  await sql`drop index ${sql.id('userdata', `t${birds.id}_c${count}_sort`)}`.execute(t.database.db)
})
afterAll(() => t.database.close())

const NOTE = 'indexes are still being built after its import'
const page = async (query: string) =>
  (await anonymousBrowser(t).request(`/ida/tables/birds${query}`)).text()

describe('a table page whose index is still being built', () => {
  it.each([
    ['sorted by the column without its index', '?order=-count', true],
    ['sorted by a column with its index', '?order=bird', false],
    ['searched (every trigram index is built)', '?search=wr', false],
    ['in row order', '', false],
  ])('says so when %s: %s', async (_name, query, shown) => {
    const html = await page(query)
    expect(html).toContain('Wren')
    expect(html.includes(NOTE)).toBe(shown)
  })
})
