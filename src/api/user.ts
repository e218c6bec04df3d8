// `GET /api/v1/user`: who the token (or session) belongs to, and what it may do.
import { Hono } from 'hono'
import { UnauthorizedError } from '../application/errors.js'
import { getApiToken } from '../auth/tokens.js'
import { listTables } from '../datasource/catalog.js'
import type { AppEnv } from '../web/env.js'
import { dbOf } from './context.js'
import { describe } from './describe.js'
import { UserSchema } from './schemas.js'

export const userApi = new Hono<AppEnv>()

userApi.get(
  '/user',
  describe({
    operationId: 'getUser',
    summary: 'The caller: the token’s user and scopes',
    tags: ['User'],
    ok: [200, UserSchema],
    problems: [401],
  }),
  async (c) => {
    const actor = c.get('actor')
    if (!actor.user) throw new UnauthorizedError('Send an API token: Authorization: Bearer hapi_…')
    const db = dbOf(c)
    const token = actor.tokenId === null ? null : await getApiToken(db, actor.tokenId)
    const own = token?.tableIds
      ? await listTables(db, { ownerId: actor.user.id, viewerId: actor.user.id })
      : []
    return c.json({
      username: actor.user.username,
      name: actor.user.name,
      avatar_url: actor.user.avatarUrl,
      via: actor.via === 'token' ? 'token' : 'session',
      scopes: [...actor.scopes],
      token: token && {
        id: token.id,
        name: token.name,
        expires_at: token.expiresAt?.toISOString() ?? null,
        tables: token.tableIds
          ? own.filter((table) => token.tableIds?.includes(table.id)).map((table) => table.slug)
          : null,
      },
    })
  },
)
