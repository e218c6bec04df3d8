import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Database } from '../db/database.js'
import { createTestDatabase } from '../test/database.js'
import {
  createSession,
  endUserSession,
  generateSessionToken,
  hashToken,
  listUserSessions,
  validateSessionToken,
} from './sessions.js'
import { upsertGithubUser } from './users.js'

const DAY = 24 * 60 * 60 * 1000
const START = new Date('2030-01-01T12:00:00Z')
const at = (ms: number) => new Date(START.getTime() + ms)

let database: Database
let nextGithubId = 1000
beforeAll(async () => {
  database = await createTestDatabase()
})
afterAll(() => database.close())

// Each test gets its own user, so tests do not depend on one another's sessions.
async function newUser(login: string) {
  return upsertGithubUser(database.db, {
    id: nextGithubId++,
    login,
    name: null,
    avatarUrl: null,
  })
}

async function newSession(userId: number, now = START, userAgent = 'Test agent') {
  const token = generateSessionToken()
  const session = await createSession(database.db, token, userId, userAgent, now)
  return { token, session }
}

const storedRow = (id: string) =>
  database.db.selectFrom('sessions').selectAll().where('id', '=', id).executeTakeFirst()

describe('createSession', () => {
  it('stores only the SHA-256 of the token, never the token itself', async () => {
    const user = await newUser('hasher')
    const { token, session } = await newSession(user.id)
    const rows = await database.db
      .selectFrom('sessions')
      .select('id')
      .where('user_id', '=', user.id)
      .execute()
    expect(rows).toHaveLength(1)
    expect(rows[0]?.id).not.toBe(token)
    expect(rows[0]?.id).toBe(hashToken(token))
    expect(session.id).toBe(hashToken(token))
    expect(session.key).not.toContain(token)
    expect(session.expiresAt).toEqual(at(30 * DAY))
  })

  it('gives every session a different public key', async () => {
    const user = await newUser('keyed')
    const a = await newSession(user.id)
    const b = await newSession(user.id)
    expect(a.session.key).not.toBe(b.session.key)
  })
})

describe('validateSessionToken', () => {
  it('returns the user and the session for a live token', async () => {
    const user = await newUser('valid')
    const { token, session } = await newSession(user.id, START, 'Firefox/1')
    const result = await validateSessionToken(database.db, token, at(1000))
    expect(result?.user).toMatchObject({ id: user.id, username: 'valid' })
    expect(result?.session).toMatchObject({
      id: session.id,
      key: session.key,
      userId: user.id,
      userAgent: 'Firefox/1',
    })
    // The session's columns do not leak into the user.
    expect(result?.user).not.toHaveProperty('session_key')
  })

  it('returns null for an unknown token', async () => {
    expect(await validateSessionToken(database.db, generateSessionToken(), START)).toBeNull()
  })

  it('returns null for an expired session and deletes its row', async () => {
    const user = await newUser('expired')
    const { token, session } = await newSession(user.id)
    expect(await validateSessionToken(database.db, token, at(31 * DAY))).toBeNull()
    expect(await storedRow(session.id)).toBeUndefined()
  })

  it('extends a session used at day 20 to day 20 + 30 days', async () => {
    const user = await newUser('sliding')
    const { token, session } = await newSession(user.id)
    const result = await validateSessionToken(database.db, token, at(20 * DAY))
    expect(result?.session.expiresAt).toEqual(at(50 * DAY))
    const row = await storedRow(session.id)
    expect(row?.expires_at).toEqual(at(50 * DAY))
    expect(row?.last_seen_at).toEqual(at(20 * DAY))
    // Still valid at day 45, which the original expiry would have refused.
    expect(await validateSessionToken(database.db, token, at(45 * DAY))).not.toBeNull()
  })

  it('does not extend a session with more than half its life left', async () => {
    const user = await newUser('fresh')
    const { token, session } = await newSession(user.id)
    await validateSessionToken(database.db, token, at(10 * DAY))
    const row = await storedRow(session.id)
    expect(row?.expires_at).toEqual(at(30 * DAY))
    expect(row?.last_seen_at).toEqual(at(10 * DAY))
  })

  it('notes activity at most once a minute', async () => {
    const user = await newUser('seen')
    const { token, session } = await newSession(user.id)
    await validateSessionToken(database.db, token, at(30_000))
    expect((await storedRow(session.id))?.last_seen_at).toEqual(START)
    await validateSessionToken(database.db, token, at(2 * 60_000))
    expect((await storedRow(session.id))?.last_seen_at).toEqual(at(2 * 60_000))
  })
})

describe('endUserSession', () => {
  it('ends one of the user’s own sessions by its key', async () => {
    const user = await newUser('ender')
    const { token, session } = await newSession(user.id)
    expect(await endUserSession(database.db, user.id, session.key)).toBe(true)
    expect(await storedRow(session.id)).toBeUndefined()
    expect(await validateSessionToken(database.db, token, START)).toBeNull()
  })

  it('refuses another user’s session key and keeps the row', async () => {
    const owner = await newUser('victim')
    const other = await newUser('intruder')
    const { token, session } = await newSession(owner.id)
    expect(await endUserSession(database.db, other.id, session.key)).toBe(false)
    expect(await storedRow(session.id)).toBeDefined()
    expect(await validateSessionToken(database.db, token, START)).not.toBeNull()
  })

  it('answers false for a key that does not exist', async () => {
    const user = await newUser('nokey')
    expect(await endUserSession(database.db, user.id, 'no-such-key')).toBe(false)
  })
})

describe('listUserSessions', () => {
  it('lists live sessions, most recently seen first, without expired or others’ sessions', async () => {
    const user = await newUser('lister')
    const other = await newUser('bystander')
    const old = await newSession(user.id, at(-40 * DAY), 'expired')
    const first = await newSession(user.id, at(-2 * DAY), 'first')
    const second = await newSession(user.id, at(-1 * DAY), 'second')
    await newSession(other.id, START, 'not mine')
    // Using the first session makes it the most recent.
    await validateSessionToken(database.db, first.token, START)

    const sessions = await listUserSessions(database.db, user.id, at(60_000))
    expect(sessions.map((s) => s.userAgent)).toEqual(['first', 'second'])
    expect(sessions.map((s) => s.key)).not.toContain(old.session.key)
    expect(sessions[1]).toMatchObject({ key: second.session.key, userId: user.id })
  })
})
