import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { upsertGithubUser } from '../auth/users.js'
import { SlugTakenError } from '../datasource/tables.js'
import type { Database } from '../db/database.js'
import { createTestDatabase } from '../test/database.js'
import { countTables, createTableWithinQuota, TableQuotaError } from './table-quota.js'

let database: Database
beforeAll(async () => {
  database = await createTestDatabase()
})
afterAll(() => database.close())

let users = 0
const newUser = async () =>
  (
    await upsertGithubUser(database.db, {
      id: ++users,
      login: `quota${users}`,
      name: null,
      avatarUrl: null,
    })
  ).id

const create = (ownerId: number, name: string, max: number) =>
  createTableWithinQuota(database.db, { ownerId, name, columns: [] }, max)

describe('the table quota', () => {
  it('lets a user make tables up to the quota, then refuses with a message', async () => {
    const owner = await newUser()
    await create(owner, 'One', 2)
    await create(owner, 'Two', 2)
    const refused = await create(owner, 'Three', 2).catch((error) => error)
    expect(refused).toBeInstanceOf(TableQuotaError)
    expect(refused.message).toBe(
      'You have 2 tables, the most one account may have. Delete a table you no longer need to make room.',
    )
    expect(await countTables(database.db, owner)).toBe(2)
  })

  it('counts each user’s tables on their own', async () => {
    const one = await newUser()
    const two = await newUser()
    await create(one, 'Mine', 1)
    await expect(create(two, 'Mine', 1)).resolves.toMatchObject({ slug: 'mine' })
  })

  it('holds when many creations race for the last places', async () => {
    const owner = await newUser()
    const results = await Promise.allSettled(
      Array.from({ length: 8 }, (_, n) => create(owner, `Race ${n}`, 3)),
    )
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(3)
    for (const result of results.filter((r) => r.status === 'rejected'))
      expect((result as PromiseRejectedResult).reason).toBeInstanceOf(TableQuotaError)
    expect(await countTables(database.db, owner)).toBe(3)
  })

  it('queues two creations of one name, so the second is told the name is taken', async () => {
    const owner = await newUser()
    const results = await Promise.allSettled([
      create(owner, 'Same', 10),
      create(owner, 'Same', 10),
      create(owner, 'Same', 10),
    ])
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1)
    for (const result of results.filter((r) => r.status === 'rejected'))
      expect((result as PromiseRejectedResult).reason).toBeInstanceOf(SlugTakenError)
  })
})
