// GET /healthz: 200 {"status":"ok"} when the database answers within a second, else 503. Served
// before the session and CSRF middleware: no cookie read or set, cheap enough to poll.

import { createMiddleware } from 'hono/factory'
import { sql } from 'kysely'
import type { Database } from '../../db/database.js'

export const HEALTH_PATH = '/healthz'
export const HEALTH_TIMEOUT_MS = 1000

export async function databaseAnswers(database: Database, timeoutMs: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined
  const timeout = new Promise<false>((resolve) => {
    timer = setTimeout(() => resolve(false), timeoutMs)
  })
  const query = sql`select 1`.execute(database.db).then(
    () => true,
    () => false,
  )
  try {
    return await Promise.race([query, timeout])
  } finally {
    clearTimeout(timer)
  }
}

export const healthCheck = (database: Database, timeoutMs = HEALTH_TIMEOUT_MS) =>
  createMiddleware(async function healthCheck(c, next) {
    if (c.req.path !== HEALTH_PATH || !['GET', 'HEAD'].includes(c.req.method)) return next()
    const ok = await databaseAnswers(database, timeoutMs)
    c.header('Cache-Control', 'no-store')
    return c.json({ status: ok ? 'ok' : 'unavailable' }, ok ? 200 : 503)
  })
