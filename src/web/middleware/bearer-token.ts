// An `Authorization: Bearer hapi_…` header makes the request's actor the token's user, with its scopes.
import { createMiddleware } from 'hono/factory'
import { problem } from '../../api/problem.js'
import { tokenActor } from '../../application/actor.js'
import { validateApiToken } from '../../auth/tokens.js'
import type { RateRule } from '../../lib/rate-rule.js'
import type { AppEnv } from '../env.js'
import { answerCount } from './rate-limit.js'

const REFUSALS = {
  malformed: 'The Authorization header must be “Bearer” and an API token starting with hapi_.',
  unknown: 'This API token is not valid: it was revoked, or mistyped.',
  expired: 'This API token has expired. Make a new one in Settings → API tokens.',
}

const TOO_MANY = 'Too many API requests with this token'

// `counted`: the rate limit of the token's requests to these paths, counted in the same statement as
// the token's lookup (the API's limit, RATE_LIMIT_API_TOKEN).
export const bearerTokenMiddleware = (options: {
  skip: (path: string) => boolean
  counted?: { rule: RateRule | null; paths: (path: string) => boolean }
}) =>
  createMiddleware<AppEnv>(async function bearerToken(c, next) {
    const header = c.req.header('authorization')
    if (header === undefined || options.skip(c.req.path)) return next()
    const token = /^Bearer +(\S+)$/i.exec(header.trim())?.[1] ?? ''
    const rule = options.counted?.paths(c.req.path) ? options.counted.rule : null
    const check = await validateApiToken(c.get('database').db, token, new Date(), rule ?? undefined)
    if (!check.ok) return problem(c, 401, REFUSALS[check.reason])
    if (rule && check.counted) {
      const refusal = answerCount(c, check.counted, rule, TOO_MANY)
      if (refusal !== null) return problem(c, 429, refusal)
    }
    const { user } = check
    c.set(
      'actor',
      tokenActor(
        { id: user.id, username: user.username, name: user.name, avatarUrl: user.avatar_url },
        check.token,
      ),
    )
    return next()
  })
