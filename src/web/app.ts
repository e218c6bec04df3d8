// The Hono app: shared middleware, the route families, and one error handler.
import { relative } from 'node:path'
import { serveStatic } from '@hono/node-server/serve-static'
import { Hono } from 'hono'
import type { Config } from '../config.js'
import type { Database } from '../db/database.js'
import { APP_ROOT } from '../paths.js'
import type { AppEnv } from './env.js'
import { notFound, onError } from './errors.js'
import { Redirect } from './load-table.js'
import { createRenderer } from './render.js'
import { homeRoutes } from './routes/home.js'
import { tableRoutes } from './routes/tables.js'

export interface AppDeps {
  config: Config
  database: Database
}

export function createApp({ config, database }: AppDeps) {
  const app = new Hono<AppEnv>()
  const renderer = createRenderer({ cache: !config.debug })

  app.use(async (c, next) => {
    c.set('config', config)
    c.set('database', database)
    c.set('renderer', renderer)
    c.set('trustProxy', config.trustProxy)
    c.set('viewer', null)
    c.set('csrfToken', '')
    await next()
  })
  app.use(
    '/static/*',
    serveStatic({
      root: relative(process.cwd(), APP_ROOT) || '.',
      onFound: (_path, c) => {
        c.header('Cache-Control', config.debug ? 'no-cache' : 'public, max-age=3600')
      },
    }),
  )

  app.route('/', tableRoutes)
  app.route('/', homeRoutes)

  app.notFound(notFound)
  app.onError((error, c) =>
    error instanceof Redirect ? c.redirect(error.location, 301) : onError(error, c),
  )
  return app
}

export type App = ReturnType<typeof createApp>
