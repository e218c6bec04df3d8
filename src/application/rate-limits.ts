// Rate limits counted in Postgres, so they hold across worker processes and dynos: one upsert per
// request. Fixed windows that start at a key's first request (no shared boundary for everyone to
// burst at), in the unlogged table `rate_limits`.
import { type RawBuilder, sql } from 'kysely'
import type { Db } from '../db/database.js'

export interface RateLimitRequest {
  // Names what is limited and for whom, e.g. `search:user:42` or `sign-in:ip:203.0.113.7`.
  key: string
  limit: number
  windowSeconds: number
}

export interface RateLimitResult {
  allowed: boolean
  limit: number
  // Requests left in this window (0 once over).
  remaining: number
  // Whole seconds until the window ends and the count starts again.
  resetSeconds: number
}

const SWEEP_EVERY_MS = 10 * 60 * 1000
const lastSweep = new WeakMap<Db, number>()

// The upsert that counts one request against the key each row of `source` gives (none: nothing
// counted), returning the window's hits and seconds left; a CTE, so a caller can count in the same
// statement as the lookup that names the key (an API token's, say).
export function countingUpsert(
  key: RawBuilder<string>,
  windowSeconds: number,
  source: RawBuilder<unknown> = sql``,
): RawBuilder<RateLimitRow> {
  const window = sql`${windowSeconds} * interval '1 second'`
  return sql<RateLimitRow>`
    insert into rate_limits as r (key, hits, resets_at)
    select ${key}, 1, now() + ${window} ${source}
    on conflict (key) do update set
      hits = case when r.resets_at > now() then least(r.hits, 2000000000) + 1 else 1 end,
      resets_at = case when r.resets_at > now() then r.resets_at else excluded.resets_at end
    returning hits, ceil(extract(epoch from resets_at - now())) as reset_in
  `
}

export interface RateLimitRow {
  hits: number
  reset_in: number | string
}

export function rateLimitResult(db: Db, row: RateLimitRow, limit: number): RateLimitResult {
  const hits = Number(row.hits)
  sweepNowAndThen(db)
  return {
    allowed: hits <= limit,
    limit,
    remaining: Math.max(0, limit - hits),
    resetSeconds: Math.max(1, Number(row.reset_in)),
  }
}

// Counts one request against `key`, and says whether it is within the limit.
export async function hitRateLimit(db: Db, request: RateLimitRequest): Promise<RateLimitResult> {
  const { rows } = await countingUpsert(sql`${request.key}`, request.windowSeconds).execute(db)
  // An upsert with RETURNING always answers with its one row.
  return rateLimitResult(db, rows[0] as RateLimitRow, request.limit)
}

// Windows that ended a while ago; run now and then by each process (see sweepNowAndThen).
export async function deleteExpiredRateLimits(db: Db): Promise<number> {
  const result =
    await sql`delete from rate_limits where resets_at < now() - interval '1 minute'`.execute(db)
  return Number(result.numAffectedRows)
}

// A process clears old counters once every ten minutes, off the request's path.
function sweepNowAndThen(db: Db) {
  const now = Date.now()
  const last = lastSweep.get(db)
  if (last === undefined) lastSweep.set(db, now)
  else if (now - last >= SWEEP_EVERY_MS) {
    lastSweep.set(db, now)
    deleteExpiredRateLimits(db).catch((error) =>
      console.error('Sweeping rate limits failed', error),
    )
  }
}
