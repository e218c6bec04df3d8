import { sql } from 'kysely'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Database } from '../db/database.js'
import { createTestDatabase } from '../test/database.js'
import {
  createApiToken,
  generateApiToken,
  listApiTokens,
  revokeApiToken,
  validateApiToken,
} from './tokens.js'
import { upsertGithubUser } from './users.js'

let database: Database
let userId: number
beforeAll(async () => {
  database = await createTestDatabase()
  userId = (
    await upsertGithubUser(database.db, { id: 1, login: 'ada', name: null, avatarUrl: null })
  ).id
})
afterAll(() => database.close())

const make = (expiresAt: Date | null = null) =>
  createApiToken(database.db, {
    userId,
    name: 'CI',
    scopes: ['read', 'write'],
    tableIds: null,
    expiresAt,
  })

describe('API tokens', () => {
  it('are hapi_ and 43 base-62 characters, all different', () => {
    const tokens = Array.from({ length: 200 }, generateApiToken)
    for (const token of tokens) expect(token).toMatch(/^hapi_[0-9A-Za-z]{43}$/)
    expect(new Set(tokens).size).toBe(200)
  })

  it('are stored only as a SHA-256, never as text', async () => {
    const { token } = await make()
    const rows = await database.db.selectFrom('api_tokens').selectAll().execute()
    expect(JSON.stringify(rows)).not.toContain(token.slice(5))
  })

  it('validate to their user and scopes, noting the use at most every few minutes', async () => {
    const { token, record } = await make()
    const first = await validateApiToken(database.db, token, new Date('2030-01-01T00:00:00Z'))
    expect(first).toMatchObject({ ok: true, user: { username: 'ada' }, token: { id: record.id } })
    if (first.ok) expect(first.token.scopes).toEqual(['read', 'write'])
    await validateApiToken(database.db, token, new Date('2030-01-01T00:01:00Z'))
    const [listed] = (await listApiTokens(database.db, userId)).filter((t) => t.id === record.id)
    expect(listed?.lastUsedAt?.toISOString()).toBe('2030-01-01T00:00:00.000Z')
    await validateApiToken(database.db, token, new Date('2030-01-01T00:06:00Z'))
    const [later] = (await listApiTokens(database.db, userId)).filter((t) => t.id === record.id)
    expect(later?.lastUsedAt?.toISOString()).toBe('2030-01-01T00:06:00.000Z')
  })

  it.each([
    ['', 'malformed'],
    ['hapi_short', 'malformed'],
    [`hapi_${'0'.repeat(43)}`, 'unknown'],
    [`ghp_${'0'.repeat(43)}`, 'malformed'],
  ])('refuses %j as %s', async (token, reason) => {
    expect(await validateApiToken(database.db, token)).toEqual({ ok: false, reason })
  })

  it('refuses a token one character off', async () => {
    const { token } = await make()
    const last = token.at(-1) === 'a' ? 'b' : 'a'
    expect(await validateApiToken(database.db, `${token.slice(0, -1)}${last}`)).toMatchObject({
      ok: false,
    })
  })

  it('refuse an expired token from the moment it expires', async () => {
    const expiresAt = new Date('2031-05-01T12:00:00Z')
    const { token } = await make(expiresAt)
    expect((await validateApiToken(database.db, token, new Date(expiresAt.getTime() - 1))).ok).toBe(
      true,
    )
    expect(await validateApiToken(database.db, token, expiresAt)).toEqual({
      ok: false,
      reason: 'expired',
    })
  })

  it('stop working as soon as they are revoked, and only their owner can revoke them', async () => {
    const { token, record } = await make()
    expect(await revokeApiToken(database.db, userId + 1000, record.id)).toBe(false)
    expect((await validateApiToken(database.db, token)).ok).toBe(true)
    expect(await revokeApiToken(database.db, userId, record.id)).toBe(true)
    expect(await validateApiToken(database.db, token)).toEqual({ ok: false, reason: 'unknown' })
  })

  it('count a request against their rate limit in the same statement as their lookup', async () => {
    const { token, record } = await make()
    const rule = { limit: 2, windowSeconds: 60 }
    const checks = []
    for (let i = 0; i < 3; i++)
      checks.push(await validateApiToken(database.db, token, new Date(), rule))
    expect(checks.map((check) => check.ok && check.counted)).toEqual([
      expect.objectContaining({ allowed: true, remaining: 1, limit: 2 }),
      expect.objectContaining({ allowed: true, remaining: 0 }),
      expect.objectContaining({ allowed: false, remaining: 0 }),
    ])
    // Not counted without a rule; an unknown token counts against nothing.
    expect(await validateApiToken(database.db, token)).not.toHaveProperty('counted')
    const keys = async () =>
      (await sql<{ key: string }>`select key from rate_limits order by key`.execute(database.db))
        .rows
    const before = await keys()
    expect(before.map((row) => row.key)).toContain(`api:token:${record.id}`)
    const unknown = generateApiToken()
    expect(await validateApiToken(database.db, unknown, new Date(), rule)).toEqual({
      ok: false,
      reason: 'unknown',
    })
    expect(await keys()).toEqual(before)
  })
})
