// Users in the catalog: looked up by username (case-insensitively) or GitHub id.
import type { Db } from '../db/database.js'
import type { UserRow } from '../db/schema.js'

export async function findUserByUsername(db: Db, username: string): Promise<UserRow | null> {
  const user = await db
    .selectFrom('users')
    .selectAll()
    .where((eb) => eb(eb.fn('lower', ['username']), '=', username.toLowerCase()))
    .executeTakeFirst()
  return user ?? null
}
