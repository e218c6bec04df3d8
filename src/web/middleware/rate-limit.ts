// Rate limiting for routes: 429 with Retry-After past the limit, and the RateLimit-* headers on
// every counted response. The count lives in Postgres (application/rate-limits.ts).

import { getConnInfo } from '@hono/node-server/conninfo'
import type { Context } from 'hono'
import { createMiddleware } from 'hono/factory'
import { hitRateLimit, type RateLimitResult } from '../../application/rate-limits.js'
import { addressKey } from '../../lib/address.js'
import { describeWait, describeWindow, type RateRule } from '../../lib/rate-rule.js'
import type { AppEnv } from '../env.js'
import { errorResponse } from '../errors.js'

export interface RateLimitOptions {
  // Part of the key, and of the message: `searches` → "Too many searches".
  name: string
  rule: RateRule | null
  // Who is counted: the signed-in user (else the address), or always the address.
  by: 'user' | 'address'
  // Counts only the requests this says yes to (a search, say); all of them when left out.
  when?: (c: Context<AppEnv>) => boolean
  // The first words of the 429 message.
  tooMany?: string
}

// Behind a trusted proxy (Heroku's router) the client is the last address the proxy appended to
// X-Forwarded-For, which the client cannot forge; otherwise it is the socket's peer.
export function clientAddress(c: Context<AppEnv>): string {
  if (c.get('trustProxy')) {
    const forwarded = c.req.header('x-forwarded-for')?.split(',').pop()
    if (forwarded) return addressKey(forwarded)
  }
  try {
    return addressKey(getConnInfo(c).remote.address)
  } catch {
    // No socket: a request handed straight to app.fetch (tests, app.request).
    return 'unknown'
  }
}

// Counts one request under `key`; sets the RateLimit-* headers, and past the limit Retry-After
// and the message to answer with (null: go on).
export async function countRequest(
  c: Context<AppEnv>,
  key: string,
  rule: RateRule,
  tooMany: string,
): Promise<string | null> {
  const result = await hitRateLimit(c.get('database').db, {
    key,
    limit: rule.limit,
    windowSeconds: rule.windowSeconds,
  })
  return answerCount(c, result, rule, tooMany)
}

// The headers for a request counted (here or along with its token's lookup), and past the limit
// the message to answer with.
export function answerCount(
  c: Context<AppEnv>,
  result: RateLimitResult,
  rule: RateRule,
  tooMany: string,
): string | null {
  c.header('RateLimit-Limit', String(result.limit))
  c.header('RateLimit-Remaining', String(result.remaining))
  c.header('RateLimit-Reset', String(result.resetSeconds))
  if (result.allowed) return null
  c.header('Retry-After', String(result.resetSeconds))
  return `${tooMany}: the limit is ${rule.limit} every ${describeWindow(rule.windowSeconds)}. Please try again in ${describeWait(result.resetSeconds)}.`
}

export const rateLimit = (options: RateLimitOptions) =>
  createMiddleware<AppEnv>(async function rateLimit(c, next) {
    const rule = options.rule
    if (!rule || (options.when && !options.when(c))) return next()
    const viewer = c.get('viewer')
    const who = options.by === 'user' && viewer ? `user:${viewer.id}` : `ip:${clientAddress(c)}`
    const tooMany = options.tooMany ?? `Too many ${options.name}`
    const refusal = await countRequest(c, `${options.name}:${who}`, rule, tooMany)
    return refusal === null ? next() : errorResponse(c, 429, refusal)
  })
