// The cluster primary: forks the workers and restarts one that crashes (with back-off, never in a
// hot loop); on SIGTERM it stops forking, passes the signal on and waits for every worker to exit.
import cluster, { type Worker } from 'node:cluster'
import type { Logger } from 'pino'

export interface Backoff {
  baseMs: number
  maxMs: number
  // Crashes older than this are forgiven.
  windowMs: number
}

export const RESTART_BACKOFF: Backoff = { baseMs: 500, maxMs: 30_000, windowMs: 60_000 }

// The wait before the next restart: 0.5 s, 1 s, 2 s … up to 30 s, by the crashes in the window.
export function restartDelay(recentCrashes: number, backoff: Backoff = RESTART_BACKOFF): number {
  return Math.min(backoff.baseMs * 2 ** Math.max(0, recentCrashes - 1), backoff.maxMs)
}

// A worker's young generation, in MB a semi-space (V8 grows it to 16 under load): at 4 the two
// workers of a 512 MB dyno keep some 40 MB each less after a burst of pages, at the same
// throughput (measured in PROGRESS.md). A --max-semi-space-size given in NODE_OPTIONS or on the
// command line wins.
export const WORKER_SEMI_SPACE_MB = 4

export function workerExecArgv(execArgv: readonly string[], nodeOptions = ''): string[] {
  const chosen = [...execArgv, nodeOptions].some((arg) => arg.includes('semi-space-size'))
  return chosen ? [...execArgv] : [...execArgv, `--max-semi-space-size=${WORKER_SEMI_SPACE_MB}`]
}

export interface Supervisor {
  // The primary's exit code, once no worker is left: 0 when every worker stopped cleanly.
  finished: Promise<number>
  shutdown(signal: NodeJS.Signals): void
}

export function superviseWorkers(options: {
  workers: number
  shutdownTimeoutMs: number
  logger: Logger
  backoff?: Backoff
  // After the workers' own deadline, how long before a worker that has not exited is killed.
  killGraceMs?: number
}): Supervisor {
  const { logger, backoff = RESTART_BACKOFF, killGraceMs = 5000 } = options
  const alive = new Set<Worker>()
  const restarts = new Set<NodeJS.Timeout>()
  const crashes: number[] = []
  let stopping = false
  let failed = false
  let killTimer: NodeJS.Timeout | undefined
  let finish: (code: number) => void = () => {}
  const finished = new Promise<number>((resolve) => {
    finish = resolve
  })

  cluster.setupPrimary({
    execArgv: workerExecArgv(
      cluster.settings.execArgv ?? process.execArgv,
      process.env.NODE_OPTIONS,
    ),
  })
  const fork = () => alive.add(cluster.fork())

  function checkDone() {
    if (alive.size > 0 || restarts.size > 0) return
    cluster.off('exit', onExit)
    clearTimeout(killTimer)
    finish(failed ? 1 : 0)
  }

  function onExit(worker: Worker, code: number, signal: string | null) {
    if (!alive.delete(worker)) return
    const pid = worker.process.pid
    if (stopping) {
      if (code !== 0) failed = true
      logger.info({ worker_pid: pid, code, signal }, `Worker ${pid} stopped`)
    } else if (code === 0 && !signal) {
      // Only a worker told to stop exits 0; it is not replaced.
      logger.info({ worker_pid: pid }, `Worker ${pid} stopped on its own; not replacing it`)
    } else {
      const now = Date.now()
      crashes.push(now)
      while ((crashes[0] ?? now) < now - backoff.windowMs) crashes.shift()
      const delay = restartDelay(crashes.length, backoff)
      logger.error(
        { worker_pid: pid, code, signal, restart_in_ms: delay },
        `Worker ${pid} died (${signal ?? `exit code ${code}`}); starting another in ${delay} ms`,
      )
      const timer = setTimeout(() => {
        restarts.delete(timer)
        fork()
      }, delay)
      restarts.add(timer)
    }
    checkDone()
  }

  cluster.on('exit', onExit)
  // Workers share the port; sessions live in Postgres, so any worker can serve any request.
  for (let i = 0; i < options.workers; i++) fork()

  return {
    finished,
    shutdown(signal) {
      if (stopping) return
      stopping = true
      for (const timer of restarts) clearTimeout(timer)
      restarts.clear()
      logger.info(`${signal}: stopping ${alive.size} workers`)
      for (const worker of alive) worker.process.kill('SIGTERM')
      killTimer = setTimeout(() => {
        for (const worker of alive) {
          logger.error(`Worker ${worker.process.pid} did not stop in time; killing it`)
          worker.process.kill('SIGKILL')
        }
      }, options.shutdownTimeoutMs + killGraceMs)
      checkDone()
    },
  }
}
