// One web process: opens the database, serves the app; on SIGTERM it finishes the requests in
// flight (up to SHUTDOWN_TIMEOUT), closes its pool and flushes Sentry.
import type { Server } from 'node:http'
import type { Logger } from 'pino'
import type { Config } from '../config.js'
import { ensureIndexes } from '../datasource/indexes.js'
import { openDatabase } from '../db/database.js'
import { migrateToLatest } from '../db/migrate.js'
import { loadDemoData } from '../import/demo-data.js'
import { log } from '../log.js'
import { flushSentry, initSentry } from '../sentry.js'
import { createApp } from '../web/app.js'
import { trackRequests } from './drain.js'
import { type ServerTimeouts, startHttpServer } from './http-server.js'

// After the requests, closing the pool and flushing Sentry may take this much more, so the whole
// shutdown fits in Heroku's 30 s with the default 25 s deadline.
const POOL_CLOSE_MS = 2000
const SENTRY_FLUSH_MS = 1000

export interface RunningWorker {
  server: Server
  port: number
  // Resolves with the exit code; calling it again returns the same shutdown.
  shutdown(reason: string): Promise<number>
}

// Whether `promise` settled within `ms`.
async function settlesWithin(promise: Promise<unknown>, ms: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined
  const late = new Promise<false>((resolve) => {
    timer = setTimeout(() => resolve(false), ms)
  })
  try {
    return await Promise.race([promise.then(() => true), late])
  } finally {
    clearTimeout(timer)
  }
}

export async function startWorker(
  config: Config,
  options: { logger?: Logger; timeouts?: ServerTimeouts; checkIndexes?: boolean } = {},
): Promise<RunningWorker> {
  const logger = options.logger ?? log
  initSentry(config)
  const database = await openDatabase(config)
  if (database.kind === 'pglite') {
    // The embedded database sets itself up on first run, as `npm start` promises.
    await migrateToLatest(database.db)
    const loaded = await loadDemoData(database)
    if (loaded.length) logger.info(`Loaded demo tables: ${loaded.join(', ')}`)
  }
  // One worker checks that no index build was cut short by a restart (see ensureIndexes).
  if (database.kind === 'postgres' && options.checkIndexes) {
    ensureIndexes(database).catch((error) =>
      logger.error({ err: error }, 'Checking indexes failed'),
    )
  }
  const app = createApp({ config, database, logger })
  const { server, port } = await startHttpServer(app.fetch, {
    port: config.port,
    host: config.host,
    timeouts: options.timeouts,
  })
  const drain = trackRequests(server)
  logger.info(`HostedAPI listening on http://localhost:${port} (${database.kind})`)

  let stopping: Promise<number> | null = null
  async function stop(reason: string): Promise<number> {
    logger.info(
      { in_flight: drain.inFlight(), deadline_ms: config.shutdownTimeoutMs },
      `${reason}: finishing ${drain.inFlight()} requests in flight, then stopping`,
    )
    const { unfinished } = await drain.close(config.shutdownTimeoutMs)
    if (unfinished) logger.warn({ unfinished }, `Cut ${unfinished} requests at the deadline`)
    if (!(await settlesWithin(database.close(), POOL_CLOSE_MS))) {
      // A connection still checked out, e.g. a concurrent index build: ensureIndexes redoes it.
      logger.warn('The database pool did not close in time; leaving it')
    }
    await flushSentry(SENTRY_FLUSH_MS)
    logger.info('Stopped')
    return 0
  }
  return {
    server,
    port,
    shutdown(reason) {
      stopping ??= stop(reason)
      return stopping
    },
  }
}
