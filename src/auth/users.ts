// Users in the catalog: looked up by username (case-insensitively), created or updated from GitHub.
import type { Db } from '../db/database.js'
import type { UserRow } from '../db/schema.js'
import { hasControlCharacters, isWellFormed } from '../lib/text.js'
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

// What GitHub says about an account is stored, so it must be text Postgres can hold and we can show.
function cleanGithubUser(github: GithubUser): GithubUser {
  const printable = (text: string) =>
    [...text].filter((char) => !hasControlCharacters(char) && isWellFormed(char)).join('')
  const name = printable(github.name ?? '')
    .replace(/\s+/g, ' ')
    .trim()
    .slice(0, 255)
  const avatar = github.avatarUrl ?? ''
  const avatarOk =
    /^https?:\/\//i.test(avatar) && avatar.length <= 2048 && printable(avatar) === avatar
  return {
    id: github.id,
    // GitHub logins are letters, digits and hyphens; anything else is not from GitHub.
    login: github.login.replace(/[^A-Za-z0-9-]/g, '').slice(0, 39) || 'user',
    name: name || null,
    avatarUrl: avatarOk ? avatar : null,
  }
}

const UNIQUE_VIOLATION = '23505'
const ATTEMPTS = 10

// Signs in by GitHub id: a new user is created; a known one gets their current login, name and avatar.
// Two sign-ins can race: the first sign-in of one account twice, or two accounts wanting one
// username. The loser meets a unique violation, and simply tries again, now seeing the winner's row.
export async function upsertGithubUser(
  db: Db,
  github: GithubUser,
  now = new Date(),
): Promise<UserRow> {
  const clean = cleanGithubUser(github)
  for (let attempt = 1; ; attempt++) {
    try {
      return await upsertOnce(db, clean, now)
    } catch (error) {
      if ((error as { code?: string }).code !== UNIQUE_VIOLATION || attempt >= ATTEMPTS) throw error
    }
  }
}

function upsertOnce(db: Db, github: GithubUser, now: Date): Promise<UserRow> {
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
