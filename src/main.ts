// Entry point: reads the config, prepares the database, and serves the app on $PORT.
import cluster from 'node:cluster'
import { serve } from '@hono/node-server'
import { ConfigError, loadDotEnv, readConfig } from './config.js'
import { ensureIndexes } from './datasource/indexes.js'
import { openDatabase } from './db/database.js'
import { migrateToLatest } from './db/migrate.js'
import { loadDemoData } from './import/demo-data.js'
import { PACKAGE_VERSION } from './paths.js'
import { flushSentry, initSentry } from './sentry.js'
import { createApp } from './web/app.js'

function loadConfig() {
  loadDotEnv()
  try {
    return readConfig(process.env, PACKAGE_VERSION)
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(`Configuration error: ${error.message}`)
      process.exit(1)
    }
    throw error
  }
}

async function startWorker(config: ReturnType<typeof readConfig>) {
  initSentry(config)
  const database = await openDatabase(config)
  if (database.kind === 'pglite') {
    // The embedded database sets itself up on first run, as `npm start` promises.
    await migrateToLatest(database.db)
    const loaded = await loadDemoData(database)
    if (loaded.length) console.log(`Loaded demo tables: ${loaded.join(', ')}`)
  }
  // One worker checks that no index build was cut short by a restart (see ensureIndexes).
  if (database.kind === 'postgres' && (cluster.worker?.id ?? 1) === 1) {
    ensureIndexes(database).catch((error) => console.error('Checking indexes failed', error))
  }
  const app = createApp({ config, database })
  const server = serve({ fetch: app.fetch, port: config.port, hostname: config.host }, (info) => {
    console.log(`HostedAPI listening on http://localhost:${info.port} (${database.kind})`)
  })
  const shutdown = () => {
    server.close(async () => {
      await database.close()
      await flushSentry()
      process.exit(0)
    })
  }
  process.on('SIGTERM', shutdown)
  process.on('SIGINT', shutdown)
}

const config = loadConfig()
if (config.webConcurrency > 1 && cluster.isPrimary) {
  // Workers share the port; sessions live in Postgres, so any worker can serve any request.
  for (let i = 0; i < config.webConcurrency; i++) cluster.fork()
  cluster.on('exit', (worker, code) => {
    if (code !== 0) console.error(`Worker ${worker.process.pid} exited with ${code}; restarting`)
    if (code !== 0) cluster.fork()
  })
} else {
  await startWorker(config)
}
