import { sql } from 'kysely'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Database } from '../db/database.js'
import { createTestDatabase } from '../test/database.js'
import { createOwner, tableWithRows } from '../test/datasource-fixtures.js'
import { getTableById } from './catalog.js'
import { addColumn, ColumnChangeError, deleteColumn, updateColumn } from './columns.js'
import { exportFile } from './export.js'
import { buildIndexes, waitForIndexBuilds } from './indexes.js'
import { DATA_SCHEMA, physicalTableName, tableRef } from './names.js'
import { insertRow, insertRows } from './row-inserts.js'
import { deleteRow, updateRow } from './row-writes.js'
import { getRow, listRows } from './rows.js'
import { createTable, SlugTakenError } from './tables.js'
import type { TableInfo } from './types.js'

let database: Database
let ownerId: number
let tables = 0
beforeAll(async () => {
  database = await createTestDatabase()
  ownerId = await createOwner(database, 'racer')
})
afterAll(() => database.close())

// PGlite has one connection, so its "parallel" calls take turns; Postgres runs them at once.
const onPostgres = () => database.kind === 'postgres'

const newTable = (rows: string[][] = [['Ada', '1']]) =>
  tableWithRows(
    database,
    ownerId,
    `Race ${++tables}`,
    [
      { name: 'Name', type: 'text' },
      { name: 'Count', type: 'text' },
    ],
    rows,
  )

const stored = async (table: TableInfo) => {
  const { rows } = await sql<{ n: number }>`
    select count(*)::int as n from ${tableRef(table.id)}`.execute(database.db)
  return { counted: rows[0]?.n, catalog: (await getTableById(database.db, table.id))?.rowCount }
}

// A settled call: its value, or the error it threw.
const settle = <T>(promise: Promise<T>) =>
  promise.then(
    (value) => ({ value, error: null }),
    (error: unknown) => ({ value: null, error }),
  )

describe('row writes during column changes', () => {
  it('wait for the change, then are checked against the columns as it left them', async () => {
    const table = await newTable()
    const writes: Promise<unknown>[] = []
    const changes: Promise<unknown>[] = []
    for (let round = 0; round < 4; round++) {
      changes.push(
        addColumn(database.db, table, { name: `Extra ${round}`, type: 'integer' }).then((after) => {
          const extra = after.columns.find((column) => column.name === `Extra ${round}`)
          return extra && deleteColumn(database.db, after, extra.id)
        }),
      )
      for (let i = 0; i < 10; i++) {
        writes.push(insertRow(database.db, table, { name: `W${round}.${i}`, count: String(i) }))
        writes.push(
          insertRows(database.db, table, [{ name: `B${round}.${i}` }, { name: 'b' }], {
            input: 'typed',
          }),
        )
        writes.push(updateRow(database.db, table, 1, null, { name: `U${round}.${i}`, count: '1' }))
        writes.push(listRows(database.db, table, { search: 'w', order: null, perPage: 25 }))
        writes.push(getRow(database.db, table, 1))
      }
    }
    const results = await Promise.all([...writes, ...changes].map(settle))
    expect(results.filter((result) => result.error !== null)).toEqual([])
    for (const { value } of results) {
      if (value && typeof value === 'object' && 'ok' in value) expect(value.ok).toBe(true)
    }
    const { counted, catalog } = await stored(table)
    expect(counted).toBe(1 + 4 * 10 * 3)
    expect(catalog).toBe(counted)
    expect((await getTableById(database.db, table.id))?.columns.map((c) => c.name)).toEqual([
      'Name',
      'Count',
    ])
  })

  it('lose a retype cleanly, or win it: a value that would not convert is never half-written', async () => {
    const table = await newTable([['Ada', '1']])
    const [change, write] = await Promise.all([
      settle(updateColumn(database.db, table, table.columns[1]?.id ?? 0, { type: 'integer' })),
      settle(insertRow(database.db, table, { name: 'Bob', count: 'many' })),
    ])
    expect(write.error).toBeNull()
    if (change.error) {
      // The write went first: its value would not convert, so the change was refused.
      expect(change.error).toBeInstanceOf(ColumnChangeError)
      expect((change.error as Error).message).toBe(
        '1 value would not convert to Integer, e.g. row 2: “many”',
      )
      expect(write.value).toMatchObject({ ok: true })
    } else {
      // The change went first: the write was checked as an integer.
      expect(write.value).toEqual({ ok: false, errors: { count: 'Must be a whole number' } })
    }
  })

  it('answers the loser of two changes to one column with a message', async () => {
    const table = await newTable()
    const column = table.columns[1]?.id ?? 0
    const results = await Promise.all([
      settle(deleteColumn(database.db, table, column)),
      settle(deleteColumn(database.db, table, column)),
    ])
    expect(results.filter((result) => result.error === null)).toHaveLength(1)
    const loser = results.find((result) => result.error !== null)?.error
    expect(loser).toBeInstanceOf(ColumnChangeError)
    expect((loser as Error).message).toBe('No such column')
  })

  it('never read a dropped column: pages, rows and exports fill it in as empty', async () => {
    const table = await newTable([['Ada', '1']])
    await deleteColumn(database.db, table, table.columns[1]?.id ?? 0)
    // `table` is the caller's list, read before the drop.
    const page = await listRows(database.db, table, {
      search: 'ada',
      order: { column: table.columns[1] ?? null, descending: true },
      perPage: 25,
    })
    expect(page.rows.map((row) => row.cells)).toEqual([['Ada', null]])
    expect((await getRow(database.db, table, 1))?.cells).toEqual(['Ada', null])
    const chunks = []
    for await (const chunk of exportFile(database, table, { search: '', order: null }, 'csv')) {
      chunks.push(chunk)
    }
    // The header keeps the caller's columns; the dropped one is empty.
    expect(Buffer.concat(chunks).toString()).toBe('Name,Count\nAda,\n')
    const json = []
    for await (const chunk of exportFile(database, table, { search: '', order: null }, 'json')) {
      json.push(chunk)
    }
    expect(JSON.parse(Buffer.concat(json).toString())).toEqual([
      { id: 1, name: 'Ada', count: null },
    ])
    expect(await insertRow(database.db, table, { name: 'Bob', count: '2' })).toMatchObject({
      ok: true,
      row: { cells: ['Bob', null] },
    })
    expect(await deleteRow(database.db, table, 2, null)).toEqual({ ok: true })
  })
})

describe('two tables made at once with one name', () => {
  it('makes one and refuses the other as taken', async () => {
    const make = () => createTable(database.db, { ownerId, name: 'Twins', columns: [] })
    const results = await Promise.all([settle(make()), settle(make()), settle(make())])
    expect(results.filter((result) => result.error === null)).toHaveLength(1)
    for (const { error } of results.filter((result) => result.error !== null)) {
      expect(error).toBeInstanceOf(SlugTakenError)
      expect((error as Error).message).toBe('You already have a table called “twins”')
    }
  })
})

describe('a column change while the indexes are being built', () => {
  const indexes = async (table: TableInfo) => {
    const { rows } = await sql<{ name: string; valid: boolean }>`
      select c.relname as name, i.indisvalid as valid from pg_index i
      join pg_class c on c.oid = i.indexrelid join pg_class t on t.oid = i.indrelid
      join pg_namespace n on n.oid = t.relnamespace
      where n.nspname = ${DATA_SCHEMA} and t.relname = ${physicalTableName(table.id)}
        and c.relname <> ${`${physicalTableName(table.id)}_pkey`}
      order by c.relname`.execute(database.db)
    return rows
  }
  const building = async (table: TableInfo) => {
    const { rows } = await sql`select 1 from pg_stat_progress_create_index
      where relid = to_regclass(${`${DATA_SCHEMA}.${physicalTableName(table.id)}`})`.execute(
      database.db,
    )
    return rows.length > 0
  }
  const until = async (check: () => Promise<boolean>) => {
    for (let i = 0; i < 200 && !(await check()); i++) await new Promise((r) => setTimeout(r, 50))
  }

  // Starts a build that waits (for a write left open) until `release` is called.
  async function heldBuild(table: TableInfo) {
    for (const { name } of await indexes(table)) {
      await sql`drop index ${sql.id(DATA_SCHEMA, name)}`.execute(database.db)
    }
    let release = () => {}
    const released = new Promise<void>((resolve) => (release = resolve))
    const openWrite = database.db.transaction().execute(async (trx) => {
      await sql`insert into ${tableRef(table.id)} default values`.execute(trx)
      await released
      throw new Error('rolled back on purpose')
    })
    const build = buildIndexes(database.db, table)
    await until(() => building(table))
    return { build, release, openWrite: openWrite.catch(() => {}) }
  }

  it.skipIf(!process.env.TEST_DATABASE_URL)(
    'waits for the build instead of deadlocking with it',
    async () => {
      expect(onPostgres()).toBe(true)
      const table = await newTable()
      const held = await heldBuild(table)
      const change = settle(
        updateColumn(database.db, table, table.columns[0]?.id ?? 0, { name: 'Who' }),
      )
      await new Promise((resolve) => setTimeout(resolve, 300))
      held.release()
      await Promise.all([held.build, held.openWrite])
      expect((await change).error).toBeNull()
      expect((await getTableById(database.db, table.id))?.columns[0]?.name).toBe('Who')
      const built = await indexes(table)
      expect(built).toHaveLength(4)
      expect(built.every((index) => index.valid)).toBe(true)
    },
  )

  it.skipIf(!process.env.TEST_DATABASE_URL)(
    'refuses the change with a message if the build goes on too long',
    async () => {
      const table = await newTable()
      const held = await heldBuild(table)
      await expect(waitForIndexBuilds(database.db, table.id, 300)).rejects.toThrow(
        'The table’s indexes are still being built after its import, so nothing was changed',
      )
      held.release()
      await Promise.all([held.build, held.openWrite])
      await expect(waitForIndexBuilds(database.db, table.id, 300)).resolves.toBeUndefined()
    },
  )

  it.skipIf(!process.env.TEST_DATABASE_URL)(
    'builds again when Postgres breaks the build off as a deadlock',
    async () => {
      const table = await newTable()
      const held = await heldBuild(table)
      // What a column change did before it waited for builds: wait for the table lock while
      // holding a snapshot, which the build in turn waits for.
      let commit = () => {}
      const committed = new Promise<void>((resolve) => (commit = resolve))
      const blocker = settle(
        database.db.transaction().execute(async (trx) => {
          await sql`lock table ${tableRef(table.id)} in share row exclusive mode`.execute(trx)
          await committed
        }),
      )
      // Past the blocker's own deadlock check (deadlock_timeout, 1 s): the build, waiting for it
      // next, is the one Postgres breaks off.
      await new Promise((resolve) => setTimeout(resolve, 1500))
      held.release()
      await held.openWrite
      await new Promise((resolve) => setTimeout(resolve, 2500))
      commit()
      await Promise.all([held.build, blocker])
      expect((await blocker).error).toBeNull()
      const built = await indexes(table)
      expect(built).toHaveLength(4)
      expect(built.every((index) => index.valid)).toBe(true)
    },
  )
})
