// The API's rate limit per address, for requests without a token (RATE_LIMIT_API_ADDRESS), counted
// in Postgres so it holds across worker processes and dynos. A token's requests are counted along
// with its lookup (RATE_LIMIT_API_TOKEN; src/web/middleware/bearer-token.ts).
import { createMiddleware } from 'hono/factory'
import type { RateLimits } from '../config-limits.js'
import type { AppEnv } from '../web/env.js'
import { clientAddress, countRequest } from '../web/middleware/rate-limit.js'
import { problem } from './problem.js'

export const apiRateLimit = (limits: Pick<RateLimits, 'apiAddress'>) =>
  createMiddleware<AppEnv>(async function apiRateLimit(c, next) {
    const rule = limits.apiAddress
    if (c.get('actor').tokenId !== null || !rule) return next()
    const tooMany = 'Too many API requests from your address'
    const refusal = await countRequest(c, `api:ip:${clientAddress(c)}`, rule, tooMany)
    return refusal === null ? next() : problem(c, 429, refusal)
  })
