// The checks a write needs before its body is read: a signed-in user, and for a table, its owner.
// They run before the CSRF check reads a form, so a refused request costs no body at all.
import { createMiddleware } from 'hono/factory'
import type { AppEnv } from '../env.js'
import { loadTable } from '../load-table.js'
import { CREATE_ELSEWHERE, IMPORT_ELSEWHERE, requireSelf, requireViewer } from '../ownership.js'

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS'])

// `/{username}/tables/new` and `/{username}/tables/import…` act for the signed-in user only.
const OWN_ROUTES: Record<string, string> = { new: CREATE_ELSEWHERE, import: IMPORT_ELSEWHERE }

// Mounted on `/settings/*` and `/:username/tables/:table/*`; the handlers check again (they also
// serve GET), and find the table this loaded without asking the database twice.
export const writeGuard = () =>
  createMiddleware<AppEnv>(async function writeGuard(c, next) {
    if (SAFE_METHODS.has(c.req.method)) return next()
    const table = c.req.param('table')
    if (table === undefined) {
      requireViewer(c)
    } else if (Object.hasOwn(OWN_ROUTES, table)) {
      requireSelf(c, OWN_ROUTES[table] as string)
    } else {
      // Every write to a table's pages changes its rows or its schema; the handler checks which.
      await loadTable(c, 'write')
    }
    return next()
  })
