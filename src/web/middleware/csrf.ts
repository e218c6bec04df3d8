// CSRF protection for every state-changing request: the Origin must be ours, and the form must
// carry a token tied to a per-browser cookie (signed double submit).
import { randomBytes } from 'node:crypto'
import { createMiddleware } from 'hono/factory'
import { HTTPException } from 'hono/http-exception'
import { hmac, safeEqual } from '../../auth/signed.js'
import { readCookie, writeCookie } from '../cookies.js'
import type { AppEnv } from '../env.js'
import { readForm } from '../forms.js'
import { origin } from '../urls.js'

const CSRF_COOKIE = 'csrf'
const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS'])

export const csrfMiddleware = (options: { exempt: (path: string) => boolean }) =>
  createMiddleware<AppEnv>(async function csrf(c, next) {
    // Exempt paths (the API, which takes no cookie-authenticated writes) render no forms: no token.
    if (options.exempt(c.req.path)) return next()
    const { secretKey } = c.get('config')
    let browserKey = readCookie(c, CSRF_COOKIE)
    if (!browserKey || !/^[A-Za-z0-9_-]{32,64}$/.test(browserKey)) {
      browserKey = randomBytes(24).toString('base64url')
      writeCookie(c, CSRF_COOKIE, browserKey, null)
    }
    const expected = hmac(secretKey, `csrf:${browserKey}`)
    c.set('csrfToken', expected)
    if (SAFE_METHODS.has(c.req.method)) return next()

    const requestOrigin = c.req.header('origin')
    if (
      (requestOrigin && requestOrigin !== origin(c)) ||
      c.req.header('sec-fetch-site') === 'cross-site'
    ) {
      throw new HTTPException(403, { message: 'Cross-site requests are not allowed.' })
    }
    // Uploads (multipart) carry the token in the form's action URL, so the body can stream to disk.
    // A form's body is read only here, after the checks that need none (its size, the sign-in and
    // the ownership, see write-guard.ts), and it is read once: the handler gets the same fields.
    let token = c.req.header('x-csrf-token') ?? c.req.query('_csrf')
    const type = c.req.header('content-type') ?? ''
    if (!token && type.startsWith('application/x-www-form-urlencoded'))
      token = (await readForm(c)).fields._csrf
    if (!token || !safeEqual(token, expected)) {
      throw new HTTPException(403, {
        message:
          'This form has expired or did not come from this site. Go back, reload the page and try again.',
      })
    }
    return next()
  })
