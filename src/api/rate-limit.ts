// The API's rate limits: per token, and per address for requests without one, counted in Postgres
// so they hold across worker processes and dynos (RATE_LIMIT_API_TOKEN, RATE_LIMIT_API_ADDRESS).
import { createMiddleware } from 'hono/factory'
import type { RateLimits } from '../config-limits.js'
import type { AppEnv } from '../web/env.js'
import { TOKEN_TOO_MANY } from '../web/middleware/bearer-token.js'
import { clientAddress, countRequest } from '../web/middleware/rate-limit.js'
import { problem } from './problem.js'

export const apiRateLimit = (limits: Pick<RateLimits, 'apiToken' | 'apiAddress'>) =>
  createMiddleware<AppEnv>(async function apiRateLimit(c, next) {
    const { tokenId } = c.get('actor')
    // Counted already, with the token's lookup (src/web/middleware/bearer-token.ts).
    if (c.get('tokenCounted')) return next()
    const rule = tokenId === null ? limits.apiAddress : limits.apiToken
    if (!rule) return next()
    const key = tokenId === null ? `api:ip:${clientAddress(c)}` : `api:token:${tokenId}`
    const tooMany = tokenId === null ? 'Too many API requests from your address' : TOKEN_TOO_MANY
    const refusal = await countRequest(c, key, rule, tooMany)
    return refusal === null ? next() : problem(c, 429, refusal)
  })
