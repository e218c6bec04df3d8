// Settings: the signed-in user's active sessions, each of which can be ended.
import { Hono } from 'hono'
import { endUserSession, listUserSessions } from '../../auth/sessions.js'
import { clearCookie } from '../cookies.js'
import type { AppEnv } from '../env.js'
import { SESSION_COOKIE } from '../middleware/session.js'
import { requireViewer } from '../ownership.js'
import { renderPage } from '../render.js'

export const settingsRoutes = new Hono<AppEnv>()

const timeFormat = new Intl.DateTimeFormat('en-GB', {
  dateStyle: 'medium',
  timeStyle: 'short',
  timeZone: 'UTC',
})

// A readable device name from a user agent: browser and system, nothing more.
export function describeDevice(userAgent: string): string {
  const browser = /Edg\//.test(userAgent)
    ? 'Edge'
    : /Firefox\//.test(userAgent)
      ? 'Firefox'
      : /Chrome\//.test(userAgent)
        ? 'Chrome'
        : /Safari\//.test(userAgent)
          ? 'Safari'
          : null
  const system = /Windows/.test(userAgent)
    ? 'Windows'
    : /iPhone|iPad/.test(userAgent)
      ? 'iOS'
      : /Mac OS X/.test(userAgent)
        ? 'macOS'
        : /Android/.test(userAgent)
          ? 'Android'
          : /Linux/.test(userAgent)
            ? 'Linux'
            : null
  if (browser && system) return `${browser} on ${system}`
  return browser ?? system ?? (userAgent.slice(0, 60) || 'Unknown device')
}

settingsRoutes.get('/', async (c) => {
  const viewer = requireViewer(c)
  const sessions = await listUserSessions(c.get('database').db, viewer.id)
  return renderPage(c, 'settings', {
    title: 'Settings',
    sessions: sessions.map((session) => ({
      key: session.key,
      device: describeDevice(session.userAgent),
      lastSeen: `${timeFormat.format(session.lastSeenAt)} UTC`,
      signedIn: `${timeFormat.format(session.createdAt)} UTC`,
      current: session.key === c.get('sessionKey'),
    })),
  })
})

settingsRoutes.post('/sessions/:key/end', async (c) => {
  const viewer = requireViewer(c)
  const key = c.req.param('key')
  const current = c.get('sessionKey')
  // Keys are base64url; anything else names no session (and a NUL would upset the database).
  if (/^[\w-]{1,64}$/.test(key)) await endUserSession(c.get('database').db, viewer.id, key)
  if (key === current) {
    clearCookie(c, SESSION_COOKIE)
    return c.redirect('/', 303)
  }
  return c.redirect('/settings', 303)
})
