// Users in the catalog: looked up by username (case-insensitively), created or updated from GitHub.
import type { Db } from '../db/database.js'
import type { UserRow } from '../db/schema.js'
import type { GithubUser } from './github.js'

// Top-level paths a username must not shadow, plus the demo user's name.
export const RESERVED_USERNAMES = new Set([
  'auth',
  'settings',
  'static',
  'mock-github',
  'new',
  'api',
  'admin',
  'about',
  'help',
  'login',
  'logout',
  'tables',
  'demo',
])

export async function findUserByUsername(db: Db, username: string): Promise<UserRow | null> {
  const user = await db
    .selectFrom('users')
    .selectAll()
    .where((eb) => eb(eb.fn('lower', ['username']), '=', username.toLowerCase()))
    .executeTakeFirst()
  return user ?? null
}

// The GitHub login if it is free, else login-2, login-3 … (a reserved word or another user's name).
async function freeUsername(db: Db, login: string, githubId: number): Promise<string> {
  for (let n = 1; ; n++) {
    const candidate = n === 1 ? login : `${login}-${n}`
    if (RESERVED_USERNAMES.has(candidate.toLowerCase())) continue
    const holder = await findUserByUsername(db, candidate)
    if (!holder || holder.github_id === githubId) return candidate
  }
}

// Signs in by GitHub id: a new user is created; a known one gets their current login, name and avatar.
export async function upsertGithubUser(
  db: Db,
  github: GithubUser,
  now = new Date(),
): Promise<UserRow> {
  return db.transaction().execute(async (trx) => {
    const existing = await trx
      .selectFrom('users')
      .selectAll()
      .where('github_id', '=', github.id)
      .forUpdate()
      .executeTakeFirst()
    const sameLogin = existing?.username.toLowerCase() === github.login.toLowerCase()
    const username =
      sameLogin && existing ? existing.username : await freeUsername(trx, github.login, github.id)
    const values = { username, name: github.name, avatar_url: github.avatarUrl, last_login_at: now }
    if (existing) {
      return trx
        .updateTable('users')
        .set(values)
        .where('id', '=', existing.id)
        .returningAll()
        .executeTakeFirstOrThrow()
    }
    return trx
      .insertInto('users')
      .values({ ...values, github_id: github.id, created_at: now })
      .returningAll()
      .executeTakeFirstOrThrow()
  })
}
