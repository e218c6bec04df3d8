import { sql } from 'kysely'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Database } from '../db/database.js'
import { createTestDatabase } from '../test/database.js'
import { file, image } from './column-type/file.js'
import { deleteColumn } from './columns.js'
import { forgetDeletions, queuedDeletions, readFileRef, setFileCell } from './file-cells.js'
import { insertRows } from './row-writes.js'
import { createTable, deleteTable } from './tables.js'

let database: Database
beforeAll(async () => {
  database = await createTestDatabase()
  await database.db
    .insertInto('users')
    .values({ id: 1, github_id: 1, username: 'ada' } as never)
    .execute()
})
afterAll(() => database?.close())

const ref = (key: string, thumbnail?: string) => ({
  key,
  name: `${key}.png`,
  type: 'image/png',
  size: 10,
  ...(thumbnail ? { width: 2, height: 2, thumbnail } : {}),
})

async function drain() {
  const keys = await queuedDeletions(database.db, 100)
  await forgetDeletions(database.db, keys)
  return keys.sort()
}

describe('file cells', () => {
  it.each([
    [null, null],
    ['not json', null],
    ['{"key": 1}', null],
    ['[]', null],
    [
      '{"key": "k", "name": "n", "type": "t", "size": 1}',
      { key: 'k', name: 'n', type: 't', size: 1 },
    ],
  ])('reads %j as a reference: %j', (text, expected) => {
    expect(readFileRef(text)).toEqual(expected)
  })

  it('is typed by upload only: text and values are refused, and nothing converts into it', () => {
    for (const definition of [file, image]) {
      expect(definition.parse('x', { choices: null }).ok).toBe(false)
      expect(definition.toJson(JSON.stringify(ref('k', 't')))).toEqual({
        name: 'k.png',
        type: 'image/png',
        size: 10,
        width: 2,
        height: 2,
      })
      const compiled = (builder: { compile: (db: never) => { sql: string } }) =>
        builder.compile(database.db as never).sql
      expect(compiled(definition.acceptsSql?.(sql`x`, { choices: null }) as never)).toBe('false')
      expect(compiled(definition.convertSql(sql`x`) as never)).toBe('null::jsonb')
    }
  })

  it('queues the files of replaced and cleared cells, deleted rows, dropped columns and tables', async () => {
    const table = await createTable(database.db, {
      ownerId: 1,
      name: 'Files',
      columns: [
        { name: 'Name', type: 'text' },
        { name: 'Photo', type: 'image' },
        { name: 'Doc', type: 'file' },
      ],
    })
    const [photo, doc] = [table.columns[1]?.id ?? 0, table.columns[2]?.id ?? 0]
    await insertRows(database.db, table, [{ name: 'a' }, { name: 'b' }, { name: 'c' }])
    expect(await setFileCell(database.db, table, 1, photo, ref('p1', 't1'))).toEqual({ version: 2 })
    await setFileCell(database.db, table, 1, doc, ref('d1'))
    await setFileCell(database.db, table, 2, photo, ref('p2', 't2'))
    await setFileCell(database.db, table, 3, doc, ref('d3'))
    expect(await drain()).toEqual([])

    // Replaced, then cleared; an edit of another column queues nothing.
    await setFileCell(database.db, table, 1, photo, ref('p1b', 't1b'))
    expect(await drain()).toEqual(['p1', 't1'])
    await sql`update ${sql.table(`userdata.t${table.id}`)} set ${sql.ref(`c${table.columns[0]?.id}`)} = 'z'`.execute(
      database.db,
    )
    expect(await drain()).toEqual([])
    await setFileCell(database.db, table, 1, photo, null)
    expect(await drain()).toEqual(['p1b', 't1b'])

    // Not a file column, no such row: nothing written.
    expect(await setFileCell(database.db, table, 1, table.columns[0]?.id ?? 0, ref('x'))).toBeNull()
    expect(await setFileCell(database.db, table, 99, doc, ref('x'))).toBeNull()

    await sql`delete from ${sql.table(`userdata.t${table.id}`)} where id = 2`.execute(database.db)
    expect(await drain()).toEqual(['p2', 't2'])

    // Dropping the image column, then the last file column (the trigger goes with it).
    await setFileCell(database.db, table, 3, photo, ref('p3'))
    await drain()
    await deleteColumn(database.db, table, photo)
    expect(await drain()).toEqual(['p3'])
    const current = { ...table, columns: table.columns.filter((column) => column.id !== photo) }
    await deleteColumn(database.db, current, doc)
    expect(await drain()).toEqual(['d1', 'd3'])
    const { rows } =
      await sql`select tgname from pg_trigger where tgname = ${`t${table.id}_files`}`.execute(
        database.db,
      )
    expect(rows).toEqual([])

    await deleteTable(database.db, table.id)
    expect(await setFileCell(database.db, table, 1, doc, ref('x'))).toBeNull()
  })

  it('queues every file of a table that is deleted', async () => {
    const table = await createTable(database.db, {
      ownerId: 1,
      name: 'Gone',
      columns: [{ name: 'Doc', type: 'file' }],
    })
    await insertRows(database.db, table, [{}, {}])
    await setFileCell(database.db, table, 1, table.columns[0]?.id ?? 0, ref('g1', 'gt1'))
    await setFileCell(database.db, table, 2, table.columns[0]?.id ?? 0, ref('g2'))
    await deleteTable(database.db, table.id)
    expect(await drain()).toEqual(['g1', 'g2', 'gt1'])
  })
})
