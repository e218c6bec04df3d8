// The REST API at /api/v1: bearer tokens (a session may only read), CORS for any origin, problem details.
import { Hono } from 'hono'
import { cors } from 'hono/cors'
import { readOnly } from '../application/actor.js'
import type { RateLimits } from '../config-limits.js'
import type { AppEnv } from '../web/env.js'
import { exportApi } from './exports.js'
import { fileApi } from './files.js'
import { openApiRoutes } from './openapi.js'
import { problem } from './problem.js'
import { apiRateLimit } from './rate-limit.js'
import { rowApi } from './rows.js'
import { tableApi } from './tables.js'
import { userApi } from './user.js'

export function createApi(limits: RateLimits) {
  const api = new Hono<AppEnv>()
  // Any origin may call with a token; no credentials, so a browser's cookies never ride along.
  api.use(
    cors({
      origin: '*',
      allowMethods: ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'],
      allowHeaders: [
        'Authorization',
        'Content-Type',
        'Content-Disposition',
        'If-Match',
        'If-None-Match',
      ],
      exposeHeaders: [
        'ETag',
        'Link',
        'Location',
        'Retry-After',
        'RateLimit-Limit',
        'RateLimit-Remaining',
        'RateLimit-Reset',
      ],
      maxAge: 600,
    }),
  )
  // The session cookie may read the API but never write through it: API writes carry no CSRF token.
  api.use(async function sessionReadsOnly(c, next) {
    const actor = c.get('actor')
    if (actor.via === 'session') c.set('actor', readOnly(actor))
    await next()
  })
  api.use(apiRateLimit(limits))
  api.route('/', userApi)
  api.route('/', openApiRoutes(api))
  api.route('/', tableApi)
  api.route('/', rowApi)
  api.route('/', fileApi)
  // The pages' exports, also with a token for private tables (documented in exports.ts).
  api.route('/', exportApi)
  api.all('*', (c) => problem(c, 404, 'There is no such API address. See /api/docs.'))
  return api
}
