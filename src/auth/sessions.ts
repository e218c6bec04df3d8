// Sessions in Postgres: random tokens in cookies, only their SHA-256 in the database.
import { createHash, randomBytes } from 'node:crypto'
import type { Db } from '../db/database.js'
import type { UserRow } from '../db/schema.js'

export const SESSION_DAYS = 30
const DAY_MS = 24 * 60 * 60 * 1000
// Renew when less than half the lifetime is left; note activity at most once a minute.
const RENEW_BELOW_MS = (SESSION_DAYS / 2) * DAY_MS
const SEEN_EVERY_MS = 60 * 1000

export interface Session {
  id: string
  // A public name for the session (settings page), unrelated to its token.
  key: string
  userId: number
  createdAt: Date
  lastSeenAt: Date
  expiresAt: Date
  userAgent: string
}

export const generateSessionToken = () => randomBytes(32).toString('base64url')
export const hashToken = (token: string) => createHash('sha256').update(token).digest('hex')

export async function createSession(
  db: Db,
  token: string,
  userId: number,
  userAgent: string,
  now = new Date(),
): Promise<Session> {
  const session: Session = {
    id: hashToken(token),
    key: randomBytes(9).toString('base64url'),
    userId,
    createdAt: now,
    lastSeenAt: now,
    expiresAt: new Date(now.getTime() + SESSION_DAYS * DAY_MS),
    userAgent: userAgent.slice(0, 500),
  }
  await db
    .insertInto('sessions')
    .values({
      id: session.id,
      key: session.key,
      user_id: userId,
      created_at: now,
      last_seen_at: now,
      expires_at: session.expiresAt,
      user_agent: session.userAgent,
    })
    .execute()
  return session
}

// The session and its user, or null when unknown or expired. Extends a session in use (sliding expiry).
export async function validateSessionToken(
  db: Db,
  token: string,
  now = new Date(),
): Promise<{ session: Session; user: UserRow } | null> {
  const id = hashToken(token)
  const row = await db
    .selectFrom('sessions')
    .innerJoin('users', 'users.id', 'sessions.user_id')
    .selectAll('users')
    .select([
      'sessions.id as session_id',
      'sessions.key as session_key',
      'sessions.created_at as session_created_at',
      'sessions.last_seen_at',
      'sessions.expires_at',
      'sessions.user_agent',
    ])
    .where('sessions.id', '=', id)
    .executeTakeFirst()
  if (!row) return null
  if (row.expires_at.getTime() <= now.getTime()) {
    await invalidateSession(db, id)
    return null
  }
  const session: Session = {
    id,
    key: row.session_key,
    userId: row.id,
    createdAt: row.session_created_at,
    lastSeenAt: row.last_seen_at,
    expiresAt: row.expires_at,
    userAgent: row.user_agent,
  }
  const renew = session.expiresAt.getTime() - now.getTime() < RENEW_BELOW_MS
  if (renew || now.getTime() - session.lastSeenAt.getTime() > SEEN_EVERY_MS) {
    if (renew) session.expiresAt = new Date(now.getTime() + SESSION_DAYS * DAY_MS)
    session.lastSeenAt = now
    await db
      .updateTable('sessions')
      .set({ last_seen_at: now, expires_at: session.expiresAt })
      .where('id', '=', id)
      .execute()
  }
  const {
    session_id: _id,
    session_key: _k,
    session_created_at: _c,
    last_seen_at: _l,
    expires_at: _e,
    user_agent: _u,
    ...user
  } = row
  return { session, user }
}

export async function invalidateSession(db: Db, sessionId: string): Promise<void> {
  await db.deleteFrom('sessions').where('id', '=', sessionId).execute()
}

// Ends one of a user's sessions by its key; false when it is not theirs (or already gone).
export async function endUserSession(db: Db, userId: number, key: string): Promise<boolean> {
  const result = await db
    .deleteFrom('sessions')
    .where('key', '=', key)
    .where('user_id', '=', userId)
    .executeTakeFirst()
  return Number(result.numDeletedRows) > 0
}

export async function listUserSessions(
  db: Db,
  userId: number,
  now = new Date(),
): Promise<Session[]> {
  const rows = await db
    .selectFrom('sessions')
    .selectAll()
    .where('user_id', '=', userId)
    .where('expires_at', '>', now)
    .orderBy('last_seen_at', 'desc')
    .execute()
  return rows.map((row) => ({
    id: row.id,
    key: row.key,
    userId: row.user_id,
    createdAt: row.created_at,
    lastSeenAt: row.last_seen_at,
    expiresAt: row.expires_at,
    userAgent: row.user_agent,
  }))
}
