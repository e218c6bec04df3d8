import { sql } from 'kysely'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Database } from '../db/database.js'
import { createTestDatabase } from '../test/database.js'
import { getTableById } from './catalog.js'
import { importNewTable } from './import.js'
import {
  buildIndexes,
  DEFERRED_INDEX_ROWS,
  ensureIndexes,
  indexesPending,
  startLazyIndexes,
} from './indexes.js'
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

  it('tell a page whose sort or search still waits for its index after a big import', async () => {
    const [name, age] = table.columns
    const drop = (kind: string, id = 0) =>
      sql`drop index ${sql.id('userdata', `t${table.id}_c${id}_${kind}`)}`.execute(database.db)
    const big = { ...table, rowCount: DEFERRED_INDEX_ROWS }
    const byAge = { column: age ?? null, descending: false }
    await drop('sort', age?.id)
    await drop('trgm', name?.id)
    // A small table's indexes come with its rows: no catalog lookup.
    expect(await indexesPending(database.db, table, { search: 'a', order: byAge })).toBe(false)
    expect(await indexesPending(database.db, big, { search: '', order: null })).toBe(false)
    expect(await indexesPending(database.db, big, { search: '', order: byAge })).toBe(true)
    expect(await indexesPending(database.db, big, { search: 'a', order: null })).toBe(true)
    await ensureIndexes(database)
    expect(await indexesPending(database.db, big, { search: 'a', order: byAge })).toBe(false)
    // Seen ready once, it is not looked up again.
    expect(await indexesPending(database.db, big, { search: 'a', order: byAge })).toBe(false)
  })

  it('build a big table’s long-text trigram index only once a search needs it', async () => {
    async function* one() {
      yield { line: 2, fields: ['Ada', 'a long note'] }
    }
    const { table: made, indexing } = await importNewTable(
      database,
      {
        ownerId: table.owner.id,
        name: 'Lazy',
        columns: [
          { name: 'Name', type: 'text' },
          { name: 'Notes', type: 'long_text' },
        ],
      },
      one(),
    )
    await indexing
    const [name, notes] = made.columns.map((column) => `t${made.id}_c${column.id}`)
    const names = async () =>
      (
        await sql<{ indexname: string }>`select indexname from pg_indexes
          where schemaname = 'userdata' and tablename = ${`t${made.id}`}`.execute(database.db)
      ).rows
        .map((row) => row.indexname)
        .sort()
    // As after a big import: nothing built yet, and the catalog counts the rows.
    for (const index of [`${name}_sort`, `${name}_trgm`, `${notes}_sort`, `${notes}_trgm`]) {
      await sql`drop index ${sql.id('userdata', index)}`.execute(database.db)
    }
    await sql`update tables set row_count = ${DEFERRED_INDEX_ROWS} where id = ${made.id}`.execute(
      database.db,
    )
    const big = (await getTableById(database.db, made.id)) as TableInfo
    const built = await buildIndexes(database.db, big)
    expect(built.map((time) => time.name).sort()).toEqual(
      [`${name}_sort`, `${name}_trgm`, `${notes}_sort`].sort(),
    )
    await ensureIndexes(database)
    expect(await names()).not.toContain(`${notes}_trgm`)
    expect(await indexesPending(database.db, big, { search: '', order: null })).toBe(false)
    expect(await indexesPending(database.db, big, { search: 'note', order: null })).toBe(true)
    // Browsing without a search starts nothing; a search starts the build, in the background.
    startLazyIndexes(database.db, big, '')
    expect(await names()).not.toContain(`${notes}_trgm`)
    startLazyIndexes(database.db, big, 'note')
    // A second search meanwhile starts no second build.
    startLazyIndexes(database.db, big, 'note')
    await expect.poll(names, { timeout: 10_000 }).toContain(`${notes}_trgm`)
    await expect
      .poll(() => indexesPending(database.db, big, { search: 'note', order: null }))
      .toBe(false)
    // Seen built, a search starts nothing more.
    startLazyIndexes(database.db, big, 'note')
  })
})
