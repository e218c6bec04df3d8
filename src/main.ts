// Entry point: reads the config; on Postgres a cluster primary keeps WEB_CONCURRENCY workers
// serving on $PORT, on PGlite (which one process owns) this process serves.
import cluster from 'node:cluster'
import { ConfigError, loadDotEnv, readConfig } from './config.js'
import { log } from './log.js'
import { PACKAGE_VERSION } from './paths.js'

function loadConfig() {
  loadDotEnv()
  try {
    return readConfig(process.env, PACKAGE_VERSION)
  } catch (error) {
    if (error instanceof ConfigError) {
      // One plain line: it is read in a terminal or a Heroku log, before any logger is set up.
      console.error(`Configuration error: ${error.message}`)
      process.exit(1)
    }
    throw error
  }
}

// Heroku sends SIGTERM to every process of the dyno at once, so a worker may hear it twice:
// `on`, not `once`, or the second would kill it mid-request.
function onStopSignal(stop: (signal: NodeJS.Signals) => void) {
  process.on('SIGTERM', stop)
  process.on('SIGINT', stop)
}

const config = loadConfig()
log.level = config.logLevel
// Each role loads only its own code: the primary never loads the app, so it stays small.
if (config.databaseUrl && cluster.isPrimary) {
  // A primary even for one worker: a crashed worker is back in a second, where Heroku restarts
  // a crashed dyno only after a cool-off that can reach 20 minutes.
  const { superviseWorkers } = await import('./server/primary.js')
  const supervisor = superviseWorkers({
    workers: config.webConcurrency,
    shutdownTimeoutMs: config.shutdownTimeoutMs,
    logger: log,
  })
  onStopSignal((signal) => supervisor.shutdown(signal))
  process.exit(await supervisor.finished)
} else {
  const { startWorker } = await import('./server/worker.js')
  const starting = startWorker(config, { checkIndexes: (cluster.worker?.id ?? 1) === 1 })
  // A signal during start-up (migrations, demo data) waits for it rather than cutting it short.
  onStopSignal((signal) => {
    starting.then((worker) => worker.shutdown(signal)).then((code) => process.exit(code))
  })
  await starting
}
