// API tokens: `hapi_` and 256 random bits, shown once; only their SHA-256 is stored.
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto'
import { sql } from 'kysely'
import type { Scope } from '../application/actor.js'
import {
  countingUpsert,
  type RateLimitResult,
  type RateLimitRow,
  rateLimitResult,
} from '../application/rate-limits.js'
import type { Db } from '../db/database.js'
import type { UserRow } from '../db/schema.js'

// A fixed prefix lets secret scanners recognise a leaked token.
export const TOKEN_PREFIX = 'hapi_'
const BASE62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz'
// 256 bits in base 62 take 43 characters (62^43 > 2^256).
const SECRET_LENGTH = 43
const TOKEN_PATTERN = new RegExp(`^${TOKEN_PREFIX}[0-9A-Za-z]{${SECRET_LENGTH}}$`)
// "Last used" is written at most this often per token, not on every request.
const LAST_USED_EVERY_MS = 5 * 60 * 1000
export const MAX_TOKENS_PER_USER = 100

export interface ApiToken {
  id: number
  userId: number
  name: string
  scopes: Scope[]
  tableIds: number[] | null
  createdAt: Date
  expiresAt: Date | null
  lastUsedAt: Date | null
}

export function generateApiToken(): string {
  let n = BigInt(`0x${randomBytes(32).toString('hex')}`)
  let text = ''
  for (let i = 0; i < SECRET_LENGTH; i++) {
    text = BASE62[Number(n % 62n)] + text
    n /= 62n
  }
  return `${TOKEN_PREFIX}${text}`
}

const sha256 = (token: string) => createHash('sha256').update(token).digest('hex')

type TokenRow = {
  id: number
  user_id: number
  name: string
  scopes: string[]
  table_ids: number[] | null
  created_at: Date
  expires_at: Date | null
  last_used_at: Date | null
}

const TOKEN_FIELDS = [
  'id',
  'user_id',
  'name',
  'scopes',
  'table_ids',
  'created_at',
  'expires_at',
  'last_used_at',
] as const

const toApiToken = (row: TokenRow): ApiToken => ({
  id: row.id,
  userId: row.user_id,
  name: row.name,
  scopes: row.scopes as Scope[],
  tableIds: row.table_ids?.map(Number) ?? null,
  createdAt: row.created_at,
  expiresAt: row.expires_at,
  lastUsedAt: row.last_used_at,
})

export interface NewApiToken {
  userId: number
  name: string
  scopes: Scope[]
  tableIds: number[] | null
  expiresAt: Date | null
}

// Returns the token's text (to show once) and its record.
export async function createApiToken(
  db: Db,
  input: NewApiToken,
): Promise<{ token: string; record: ApiToken }> {
  const token = generateApiToken()
  const hash = sha256(token)
  const row = await db
    .insertInto('api_tokens')
    .values({
      user_id: input.userId,
      name: input.name,
      lookup: hash.slice(0, 16),
      token_hash: hash,
      scopes: input.scopes,
      table_ids: input.tableIds,
      expires_at: input.expiresAt,
    })
    .returning(TOKEN_FIELDS)
    .executeTakeFirstOrThrow()
  return { token, record: toApiToken(row) }
}

export async function listApiTokens(db: Db, userId: number): Promise<ApiToken[]> {
  const rows = await db
    .selectFrom('api_tokens')
    .select(TOKEN_FIELDS)
    .where('user_id', '=', userId)
    .orderBy('created_at', 'desc')
    .orderBy('id', 'desc')
    .execute()
  return rows.map(toApiToken)
}

export async function getApiToken(db: Db, tokenId: number): Promise<ApiToken | null> {
  const row = await db
    .selectFrom('api_tokens')
    .select(TOKEN_FIELDS)
    .where('id', '=', tokenId)
    .executeTakeFirst()
  return row ? toApiToken(row) : null
}

export async function countApiTokens(db: Db, userId: number): Promise<number> {
  const row = await db
    .selectFrom('api_tokens')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('user_id', '=', userId)
    .executeTakeFirstOrThrow()
  return Number(row.n)
}

// Revoking deletes the record, so the very next request with the token is refused.
export async function revokeApiToken(db: Db, userId: number, tokenId: number): Promise<boolean> {
  const result = await db
    .deleteFrom('api_tokens')
    .where('id', '=', tokenId)
    .where('user_id', '=', userId)
    .executeTakeFirst()
  return Number(result.numDeletedRows) > 0
}

export type TokenCheck =
  | { ok: true; token: ApiToken; user: UserRow; counted?: RateLimitResult }
  | { ok: false; reason: 'malformed' | 'unknown' | 'expired' }

// Finds the row by the hash's first digits, then compares the whole hash in constant time. With
// `count`, the request is counted against the token's rate limit (`api:token:<id>`) in the same
// statement: one round trip for both.
export async function validateApiToken(
  db: Db,
  token: string,
  now = new Date(),
  count?: { limit: number; windowSeconds: number },
): Promise<TokenCheck> {
  if (!TOKEN_PATTERN.test(token)) return { ok: false, reason: 'malformed' }
  const hash = sha256(token)
  const lookup = db
    .selectFrom('api_tokens')
    .innerJoin('users', 'users.id', 'api_tokens.user_id')
    .selectAll('users')
    .select([
      'api_tokens.id as token_id',
      'api_tokens.name as token_name',
      'api_tokens.token_hash',
      'api_tokens.scopes',
      'api_tokens.table_ids',
      'api_tokens.created_at as token_created_at',
      'api_tokens.expires_at',
      'api_tokens.last_used_at',
    ])
    .where('api_tokens.lookup', '=', hash.slice(0, 16))
  type Found = NonNullable<Awaited<ReturnType<typeof lookup.executeTakeFirst>>> & {
    hits?: number | null
    reset_in?: number | string | null
  }
  const found: Found | undefined = count
    ? await db
        .with('token', () => lookup)
        // A raw CTE is not put in brackets by Kysely.
        .with(
          'hit',
          () =>
            sql<RateLimitRow>`(${countingUpsert(sql`'api:token:' || token.token_id`, count.windowSeconds, sql`from token`)})`,
        )
        .selectFrom('token')
        .leftJoin('hit', (join) => join.onTrue())
        .selectAll('token')
        .select(['hit.hits', 'hit.reset_in'])
        .executeTakeFirst()
    : await lookup.executeTakeFirst()
  if (!found || !timingSafeEqual(Buffer.from(found.token_hash), Buffer.from(hash))) {
    return { ok: false, reason: 'unknown' }
  }
  const { hits, reset_in, ...row } = found
  if (row.expires_at && row.expires_at.getTime() <= now.getTime()) {
    return { ok: false, reason: 'expired' }
  }
  if (!row.last_used_at || now.getTime() - row.last_used_at.getTime() > LAST_USED_EVERY_MS) {
    await db
      .updateTable('api_tokens')
      .set({ last_used_at: now })
      .where('id', '=', row.token_id)
      .execute()
  }
  const {
    token_id,
    token_name,
    token_hash: _hash,
    scopes,
    table_ids,
    token_created_at,
    expires_at,
    last_used_at,
    ...user
  } = row
  return {
    ok: true,
    user,
    ...(count && hits != null && reset_in != null
      ? { counted: rateLimitResult(db, { hits, reset_in }, count.limit) }
      : {}),
    token: toApiToken({
      id: token_id,
      user_id: user.id,
      name: token_name,
      scopes,
      table_ids,
      created_at: token_created_at,
      expires_at,
      last_used_at: last_used_at,
    }),
  }
}
