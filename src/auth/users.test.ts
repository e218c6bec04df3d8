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

// On Postgres these calls really overlap (the test pool has several connections); on PGlite they
// queue on its one connection, and must give the same answers.
describe('racing sign-ins', () => {
  // A few rounds, as one round does not always overlap.
  it.each([601, 602, 603, 604])(
    'gives parallel first sign-ins of one GitHub account (%i) one user',
    async (id) => {
      const users = await Promise.all(
        Array.from({ length: 8 }, () => signIn(id, `Osprey${id}`, 'Sea Hawk')),
      )
      expect(new Set(users.map((user) => user.id)).size).toBe(1)
      expect(users.every((user) => user.username === `Osprey${id}`)).toBe(true)
      expect((await usernames()).filter((row) => row.github_id === id)).toHaveLength(1)
    },
  )

  it('gives accounts that want one username at once each a name of their own', async () => {
    const users = await Promise.all(Array.from({ length: 8 }, (_, n) => signIn(700 + n, 'harrier')))
    const names = users.map((user) => user.username.toLowerCase()).sort()
    expect(names).toEqual([
      'harrier',
      'harrier-2',
      'harrier-3',
      'harrier-4',
      'harrier-5',
      'harrier-6',
      'harrier-7',
      'harrier-8',
    ])
  })
})

describe('what GitHub sends', () => {
  it('keeps text the database could not store out of a name, and refuses odd avatars', async () => {
    const user = await upsertGithubUser(database.db, {
      id: 801,
      login: 'lark',
      name: `Sky\u0000 Lark\u001b ${'x'.repeat(400)}`,
      avatarUrl: 'javascript:alert(1)',
    })
    expect(user.name).toBe(`Sky Lark ${'x'.repeat(400)}`.slice(0, 255))
    expect(user.avatar_url).toBeNull()
  })

  it('drops a lone surrogate from a name, and keeps an https avatar', async () => {
    const user = await upsertGithubUser(database.db, {
      id: 802,
      login: 'pipit',
      name: 'Meadow \ud800Pipit',
      avatarUrl: 'https://avatars.githubusercontent.com/u/802?v=4',
    })
    expect(user.name).toBe('Meadow Pipit')
    expect(user.avatar_url).toBe('https://avatars.githubusercontent.com/u/802?v=4')
  })

  it('keeps only the letters, digits and hyphens of a login, or calls it “user”', async () => {
    const odd = await upsertGithubUser(database.db, {
      id: 804,
      login: 'sand piper!',
      name: null,
      avatarUrl: null,
    })
    expect(odd.username).toBe('sandpiper')
    const none = await upsertGithubUser(database.db, {
      id: 805,
      login: '\u0000☃',
      name: null,
      avatarUrl: null,
    })
    expect(none.username).toBe('user')
  })

  it('passes on a database error that is not a race, without trying again', async () => {
    const closed = await createTestDatabase()
    await closed.close()
    await expect(
      upsertGithubUser(closed.db, { id: 806, login: 'snipe', name: null, avatarUrl: null }),
    ).rejects.toThrow()
  })

  it('stores no name at all when nothing printable is left', async () => {
    const user = await upsertGithubUser(database.db, {
      id: 803,
      login: 'tern',
      name: '\u0000\u0001',
      avatarUrl: null,
    })
    expect(user.name).toBeNull()
  })
})
