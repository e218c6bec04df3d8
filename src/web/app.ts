// The Hono app: shared middleware, the route families, and one error handler.
import { relative } from 'node:path'
import { Hono } from 'hono'
import type { Logger } from 'pino'
import { createApi } from '../api/app.js'
import { docsRoutes } from '../api/docs.js'
import { ANONYMOUS } from '../application/actor.js'
import { deleteReleasedFilesQuietly } from '../application/files.js'
import { createMockGithub } from '../auth/mock-github.js'
import type { Config } from '../config.js'
import type { Database } from '../db/database.js'
import { startUploadSweeper } from '../import/uploads.js'
import { log } from '../log.js'
import { APP_ROOT } from '../paths.js'
import { openStorage, type Storage } from '../storage/index.js'
import type { AppEnv } from './env.js'
import { notFound, onError } from './errors.js'
import { bearerTokenMiddleware } from './middleware/bearer-token.js'
import { bodyLimit } from './middleware/body-limit.js'
import { compression } from './middleware/compression.js'
import { csrfMiddleware } from './middleware/csrf.js'
import { healthCheck } from './middleware/health-check.js'
import { requestIds, requestLog } from './middleware/request-log.js'
import { securityHeaders } from './middleware/security-headers.js'
import { sessionMiddleware } from './middleware/session.js'
import { staticFiles } from './middleware/static-files.js'
import { writeGuard } from './middleware/write-guard.js'
import { limitRoutes } from './rate-limited-routes.js'
import { createRenderer } from './render.js'
import { authRoutes } from './routes/auth.js'
import { columnRoutes } from './routes/columns.js'
import { exportRoutes } from './routes/export.js'
import { fileRoutes } from './routes/files.js'
import { homeRoutes } from './routes/home.js'
import { importRoutes } from './routes/import.js'
import { rowEditRoutes } from './routes/row-edit.js'
import { settingsRoutes } from './routes/settings.js'
import { tableAdminRoutes } from './routes/table-admin.js'
import { tableApiRoutes } from './routes/table-api.js'
import { tableViewRoutes } from './routes/table-views.js'
import { tableRoutes } from './routes/tables.js'
import { tokenRoutes } from './routes/tokens.js'

export interface AppDeps {
  config: Config
  database: Database
  logger?: Logger
  // Default: the storage the config names.
  storage?: Storage
}

// The mock's token endpoint is called server-to-server by the OAuth client, without cookies.
const CSRF_EXEMPT = new Set(['/mock-github/login/oauth/access_token'])
// The API takes no cookie-authenticated writes (a session there may only read), so it needs no CSRF.
const isCsrfExempt = (path: string) => CSRF_EXEMPT.has(path) || path.startsWith('/api/')

export function createApp({
  config,
  database,
  logger = log,
  storage = openStorage(config.storage, database.db),
}: AppDeps) {
  const app = new Hono<AppEnv>()
  const renderer = createRenderer({ cache: !config.debug })
  startUploadSweeper(config.uploadDir)

  app.use(requestIds(), requestLog(logger), compression())

  app.use(async function context(c, next) {
    c.set('config', config)
    c.set('database', database)
    c.set('storage', storage)
    c.set('renderer', renderer)
    c.set('trustProxy', config.trustProxy)
    c.set('viewer', null)
    c.set('actor', ANONYMOUS)
    c.set('sessionId', null)
    c.set('sessionKey', null)
    c.set('csrfToken', '')
    await next()
  })
  app.use(securityHeaders({ hsts: config.isProduction }))
  // Files that a committed write let go of (a row, column or table deleted, a file replaced) are
  // deleted from storage before its answer goes; a failure leaves them queued for the next write.
  app.use(async function releasedFiles(c, next) {
    await next()
    if (!['GET', 'HEAD', 'OPTIONS'].includes(c.req.method)) {
      await deleteReleasedFilesQuietly(database.db, storage)
    }
  })
  app.use(healthCheck(database))
  app.use(
    '/static/*',
    staticFiles({
      root: relative(process.cwd(), APP_ROOT) || '.',
      cacheControl: config.debug ? 'no-cache' : 'public, max-age=3600',
    }),
  )
  app.use(bodyLimit())
  app.use(sessionMiddleware())
  // The mock GitHub's own API takes its own bearer tokens, as github.com does.
  app.use(
    bearerTokenMiddleware({
      skip: (path) => path.startsWith('/mock-github/'),
      counted: { rule: config.rateLimits.apiToken, paths: (path) => path.startsWith('/api/v1/') },
    }),
  )
  app.use('/settings/*', writeGuard())
  app.use('/:username/tables/:table/*', writeGuard())
  app.use(csrfMiddleware({ exempt: isCsrfExempt }))
  limitRoutes(app, config.rateLimits)

  if (config.mockGithub) app.route('/mock-github', createMockGithub(config.secretKey))
  app.route('/api/v1', createApi(config.rateLimits))
  app.route('/api/docs', docsRoutes)
  app.route('/auth', authRoutes)
  app.route('/settings/tokens', tokenRoutes)
  app.route('/settings', settingsRoutes)
  // Fixed paths (…/tables/new, …/tables/import) before the table and row patterns they resemble.
  app.route('/', tableAdminRoutes)
  app.route('/', importRoutes)
  app.route('/', exportRoutes)
  app.route('/', columnRoutes)
  app.route('/', tableApiRoutes)
  app.route('/', rowEditRoutes)
  app.route('/', tableViewRoutes)
  app.route('/', fileRoutes)
  app.route('/', tableRoutes)
  app.route('/', homeRoutes)

  app.notFound(notFound)
  app.onError(onError)
  return app
}

export type App = ReturnType<typeof createApp>
