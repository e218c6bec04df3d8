// Reads the session cookie on every request and puts the signed-in user (or null) on the context.
import { createMiddleware } from 'hono/factory'
import { sessionActor } from '../../application/actor.js'
import { SESSION_DAYS, validateSessionToken } from '../../auth/sessions.js'
import { clearCookie, readCookie, writeCookie } from '../cookies.js'
import type { AppEnv } from '../env.js'

export const SESSION_COOKIE = 'session'

export const sessionMiddleware = () =>
  createMiddleware<AppEnv>(async function session(c, next) {
    const token = readCookie(c, SESSION_COOKIE)
    if (token) {
      const result = await validateSessionToken(c.get('database').db, token)
      if (result) {
        const { user, session } = result
        const viewer = {
          id: user.id,
          username: user.username,
          name: user.name,
          avatarUrl: user.avatar_url,
        }
        c.set('viewer', viewer)
        c.set('actor', sessionActor(viewer))
        c.set('sessionId', session.id)
        c.set('sessionKey', session.key)
        // Sliding expiry: the cookie lives as long as the session it names.
        writeCookie(
          c,
          SESSION_COOKIE,
          token,
          Math.floor((session.expiresAt.getTime() - Date.now()) / 1000),
        )
      } else {
        clearCookie(c, SESSION_COOKIE)
      }
    }
    c.header('Vary', 'Cookie', { append: true })
    await next()
  })

export const SESSION_MAX_AGE = SESSION_DAYS * 24 * 60 * 60
