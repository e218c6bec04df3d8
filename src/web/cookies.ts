// Cookie names and flags: HttpOnly and SameSite=Lax always; Secure with the __Host- prefix over https
// and always in production.
import type { Context } from 'hono'
import { deleteCookie, getCookie, setCookie } from 'hono/cookie'
import type { AppEnv } from './env.js'
import { origin } from './urls.js'

function isSecure(c: Context<AppEnv>): boolean {
  return c.get('config').isProduction || origin(c).startsWith('https:')
}

const cookieName = (c: Context<AppEnv>, name: string) => (isSecure(c) ? `__Host-${name}` : name)

export function readCookie(c: Context<AppEnv>, name: string): string | undefined {
  return getCookie(c, cookieName(c, name))
}

export function writeCookie(
  c: Context<AppEnv>,
  name: string,
  value: string,
  maxAgeSeconds: number | null,
) {
  setCookie(c, cookieName(c, name), value, {
    path: '/',
    httpOnly: true,
    sameSite: 'Lax',
    secure: isSecure(c),
    ...(maxAgeSeconds === null ? {} : { maxAge: maxAgeSeconds }),
  })
}

export function clearCookie(c: Context<AppEnv>, name: string) {
  deleteCookie(c, cookieName(c, name), { path: '/', secure: isSecure(c) })
}
