// Which routes are rate limited, and how (the limits come from RATE_LIMIT_* in the environment).
import type { Hono } from 'hono'
import type { RateLimits } from '../config-limits.js'
import type { AppEnv } from './env.js'
import { rateLimit } from './middleware/rate-limit.js'

export function limitRoutes(app: Hono<AppEnv>, limits: RateLimits) {
  const signIn = rateLimit({
    name: 'sign-in',
    rule: limits.signIn,
    by: 'address',
    tooMany: 'Too many sign-in attempts from your network',
  })
  app.post('/auth/login', signIn)
  app.get('/auth/callback', signIn)

  const imports = rateLimit({ name: 'imports', rule: limits.imports, by: 'user' })
  app.post('/:username/tables/import', imports)
  app.post('/:username/tables/import/:upload', imports)
  app.post('/:username/tables/:table/import', imports)
  app.post('/:username/tables/:table/import/:upload', imports)

  // API uploads count against the token's limit, as every API request does.
  const uploads = rateLimit({ name: 'uploads', rule: limits.uploads, by: 'user' })
  app.post('/:username/tables/:table/:row{[0-9]{1,15}}/files/:column', uploads)

  const exports = rateLimit({ name: 'exports', rule: limits.exports, by: 'user' })
  app.get('/:username/tables/:table/:file{export\\.(?:csv|json)}', exports)

  const searches = rateLimit({
    name: 'searches',
    rule: limits.searches,
    by: 'user',
    when: (c) => (c.req.query('search') ?? '').trim() !== '',
  })
  app.get('/:username/tables/:table', searches)
  // A link picker's search as you type counts as searches do.
  app.get(
    '/:username/tables/:table/links/:column',
    rateLimit({ name: 'searches', rule: limits.searches, by: 'user' }),
  )
}
