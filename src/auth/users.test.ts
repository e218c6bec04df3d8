import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Database } from '../db/database.js'
import { createTestDatabase } from '../test/database.js'
import { findUserByUsername, upsertGithubUser } from './users.js'

let database: Database
beforeAll(async () => {
  database = await createTestDatabase()
})
afterAll(() => database.close())

const signIn = (id: number, login: string, name: string | null = null) =>
  upsertGithubUser(database.db, { id, login, name, avatarUrl: null })
const usernames = async () =>
  await database.db
    .selectFrom('users')
    .select(['github_id', 'username'])
    .orderBy('github_id')
    .execute()

describe('signing in from GitHub', () => {
  it('creates a user named after the login, and finds it whatever the case', async () => {
    const user = await signIn(101, 'Wren', 'Jenny Wren')
    expect(user).toMatchObject({ username: 'Wren', name: 'Jenny Wren', github_id: 101 })
    expect((await findUserByUsername(database.db, 'wREN'))?.id).toBe(user.id)
    expect(await findUserByUsername(database.db, 'nobody')).toBeNull()
  })

  it('gives a login another GitHub account already holds the next free number', async () => {
    await signIn(201, 'robin')
    expect((await signIn(202, 'Robin')).username).toBe('Robin-2')
    expect((await signIn(203, 'robin')).username).toBe('robin-3')
  })

  it('keeps the user, and their numbered name, across sign-ins', async () => {
    const first = await signIn(202, 'Robin', 'Second Robin')
    expect(first.username).toBe('Robin-2')
    expect(first.name).toBe('Second Robin')
    const rows = (await usernames()).filter((row) => row.github_id === 202)
    expect(rows).toEqual([{ github_id: 202, username: 'Robin-2' }])
  })

  it('keeps a reserved login’s numbered name when its owner signs in again', async () => {
    expect((await signIn(301, 'settings')).username).toBe('settings-2')
    expect((await signIn(301, 'settings')).username).toBe('settings-2')
  })

  it('follows a renamed GitHub login, freeing the old name', async () => {
    const before = await signIn(401, 'jay')
    const after = await signIn(401, 'bluejay')
    expect(after.id).toBe(before.id)
    expect(after.username).toBe('bluejay')
    expect(await findUserByUsername(database.db, 'jay')).toBeNull()
    // Someone else may now take the old name as it is.
    expect((await signIn(402, 'jay')).username).toBe('jay')
  })

  it('keeps the stored case when only the case of the login changed', async () => {
    await signIn(501, 'Kestrel')
    expect((await signIn(501, 'KESTREL')).username).toBe('Kestrel')
  })
})
