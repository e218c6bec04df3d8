import { sql } from 'kysely'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Database } from '../db/database.js'
import { createTestDatabase } from '../test/database.js'
import { importNewTable } from './import.js'
import { ensureIndexes } from './indexes.js'
import type { TableInfo } from './types.js'

let database: Database
let table: TableInfo
beforeAll(async () => {
  database = await createTestDatabase()
  const owner = await database.db
    .insertInto('users')
    .values({ username: 'ix' })
    .returning('id')
    .executeTakeFirstOrThrow()
  async function* records() {
    yield { line: 2, fields: ['Ada', '36', 'a long note'] }
  }
  const imported = await importNewTable(
    database,
    {
      ownerId: owner.id,
      name: 'Indexed',
      columns: [
        { name: 'Name', type: 'text' },
        { name: 'Age', type: 'integer' },
        { name: 'Notes', type: 'long_text' },
      ],
    },
    records(),
  )
  await imported.indexing
  table = imported.table
})
afterAll(() => database.close())

const indexNames = async () =>
  (
    await sql<{ indexname: string }>`select indexname from pg_indexes
      where schemaname = 'userdata' and tablename = ${`t${table.id}`} order by indexname`.execute(
      database.db,
    )
  ).rows.map((row) => row.indexname)

describe('indexes', () => {
  it('give every column a sort index and every text-like column a trigram index', async () => {
    const [name, age, notes] = table.columns.map((column) => `t${table.id}_c${column.id}`)
    expect(await indexNames()).toEqual(
      [
        `${name}_sort`,
        `${name}_trgm`,
        `${age}_sort`,
        `${notes}_sort`,
        `${notes}_trgm`,
        `t${table.id}_pkey`,
      ].sort(),
    )
  })

  it('are rebuilt by ensureIndexes when one is missing', async () => {
    const before = await indexNames()
    const [name] = table.columns
    await sql`drop index ${sql.id('userdata', `t${table.id}_c${name?.id}_sort`)}`.execute(
      database.db,
    )
    expect(await indexNames()).toHaveLength(before.length - 1)
    expect(await ensureIndexes(database)).toBe(0)
    expect(await indexNames()).toEqual(before)
  })
})
