import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Database } from '../db/database.js'
import { createTestDatabase } from '../test/database.js'
import { findTable, getTableById } from './catalog.js'
import { TableSettingsError, updateTable } from './table-settings.js'
import { createTable, deleteTable, SlugTakenError } from './tables.js'
import type { TableInfo } from './types.js'

let database: Database
let ownerId: number
let otherOwnerId: number
beforeAll(async () => {
  database = await createTestDatabase()
  const users = await database.db
    .insertInto('users')
    .values([
      { username: 'Ada', github_id: null },
      { username: 'bob', github_id: null },
    ])
    .returning('id')
    .execute()
  ownerId = users[0]?.id ?? 0
  otherOwnerId = users[1]?.id ?? 0
})
afterAll(() => database.close())

const newTable = (name: string, owner = ownerId) =>
  createTable(database.db, { ownerId: owner, name, columns: [{ name: 'Name', type: 'text' }] })

const redirects = (table: TableInfo) =>
  database.db
    .selectFrom('table_redirects')
    .select(['owner_id', 'slug'])
    .where('table_id', '=', table.id)
    .orderBy('slug')
    .execute()

describe('renaming a table', () => {
  beforeAll(() => newTable('Beetles'))

  it('gives it a new slug and sends the old URL there', async () => {
    const table = await newTable('Birds 2017')
    const renamed = await updateTable(database.db, table, { name: '  Garden birds, 2017 ' })
    expect(renamed).toMatchObject({ name: 'Garden birds, 2017', slug: 'garden-birds-2017' })
    expect(renamed.updatedAt.getTime()).toBeGreaterThanOrEqual(table.updatedAt.getTime())
    expect(await redirects(table)).toEqual([{ owner_id: ownerId, slug: 'birds-2017' }])
    expect(await findTable(database.db, 'ada', 'birds-2017')).toEqual({
      found: 'redirect',
      slug: 'garden-birds-2017',
    })
    const lookup = await findTable(database.db, 'ada', 'garden-birds-2017')
    expect(lookup.found === 'table' && lookup.table.id).toBe(table.id)
  })

  it('keeps every old slug, and can go back to one of them', async () => {
    const table = await newTable('Moths')
    await updateTable(database.db, table, { name: 'Night moths' })
    const back = await updateTable(database.db, table, { name: 'Moths' })
    expect(back.slug).toBe('moths')
    expect(await redirects(table)).toEqual([{ owner_id: ownerId, slug: 'night-moths' }])
    expect((await findTable(database.db, 'ada', 'moths')).found).toBe('table')
  })

  it('takes over a slug that only redirects to another table', async () => {
    const first = await newTable('Ferns')
    await updateTable(database.db, first, { name: 'Old ferns' })
    const second = await newTable('Mosses')
    const renamed = await updateTable(database.db, second, { name: 'Ferns' })
    expect(renamed.slug).toBe('ferns')
    expect(await redirects(first)).toEqual([])
    expect(await redirects(second)).toEqual([{ owner_id: ownerId, slug: 'mosses' }])
  })

  it('adds no redirect when the slug does not change', async () => {
    const table = await newTable('Lichens')
    const renamed = await updateTable(database.db, table, { name: 'LICHENS!' })
    expect(renamed).toMatchObject({ name: 'LICHENS!', slug: 'lichens' })
    expect(await redirects(table)).toEqual([])
  })

  it('names a table of symbols only “table”', async () => {
    const table = await newTable('Symbols', otherOwnerId)
    expect((await updateTable(database.db, table, { name: '!!!' })).slug).toBe('table')
  })

  it.each([
    ['another of the owner’s tables', 'Beetles', 'beetles'],
    ['a word the routes reserve', 'New', 'new'],
  ])('refuses a slug taken by %s and changes nothing', async (_, name, slug) => {
    const table = await newTable(`Wasps ${slug}`)
    const attempt = updateTable(database.db, table, { name, description: 'Changed' })
    await expect(attempt).rejects.toThrow(SlugTakenError)
    await expect(attempt).rejects.toMatchObject({ slug })
    const unchanged = await getTableById(database.db, table.id)
    expect(unchanged).toMatchObject({ name: table.name, slug: table.slug, description: '' })
    expect(await redirects(table)).toEqual([])
  })

  it('lets another owner use the same slug', async () => {
    await newTable('Spiders')
    const theirs = await newTable('Arachnids', otherOwnerId)
    expect((await updateTable(database.db, theirs, { name: 'Spiders' })).slug).toBe('spiders')
  })

  it('refuses one of two concurrent renames to the same name', async () => {
    const [a, b] = await Promise.all([newTable('Ants'), newTable('Bees')])
    if (!a || !b) throw new Error('tables missing')
    const results = await Promise.allSettled([
      updateTable(database.db, a, { name: 'Insects' }),
      updateTable(database.db, b, { name: 'Insects' }),
    ])
    expect(results.filter((result) => result.status === 'fulfilled')).toHaveLength(1)
    const refused = results.find((result) => result.status === 'rejected')
    expect(refused?.reason).toBeInstanceOf(SlugTakenError)
  })
})

describe('other settings', () => {
  it('changes the description and visibility without touching the slug', async () => {
    const table = await newTable('Toads')
    const updated = await updateTable(database.db, table, {
      description: ' Seen in the pond. ',
      isPublic: false,
    })
    expect(updated).toMatchObject({
      name: 'Toads',
      slug: 'toads',
      description: 'Seen in the pond.',
      isPublic: false,
    })
    expect(await redirects(table)).toEqual([])
  })

  it.each([
    ['A name is required', 'name', { name: '   ' }],
    ['Must be at most 100 characters', 'name', { name: 'x'.repeat(101) }],
    ['Must be at most 2,000 characters', 'description', { description: 'x'.repeat(2001) }],
    ['Invalid type: Expected boolean but received "yes"', 'isPublic', { isPublic: 'yes' as never }],
    ['Invalid type: Expected Object but received null', '', null as never],
  ])('refuses bad input with “%s”', async (message, field, settings) => {
    const table = await newTable(`Frogs ${Math.random()}`)
    const attempt = updateTable(database.db, table, settings)
    await expect(attempt).rejects.toThrow(TableSettingsError)
    await expect(attempt).rejects.toMatchObject({ field, message })
  })

  it('accepts a name of exactly 100 characters', async () => {
    const table = await newTable('Newts')
    expect((await updateTable(database.db, table, { name: 'n'.repeat(100) })).name).toHaveLength(
      100,
    )
  })

  it('fails on a table that has been deleted', async () => {
    const table = await newTable('Gone')
    await deleteTable(database.db, table.id)
    await expect(updateTable(database.db, table, { name: 'Back' })).rejects.toThrow(
      'no longer exists',
    )
  })
})
