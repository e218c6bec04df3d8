// Running the app for the benchmark: src/main.ts as a child process (Postgres, with workers), or
// in this process (PGlite, which one process owns); and the resident memory of its processes.
import { type ChildProcess, spawn } from 'node:child_process'
import { readdirSync, readFileSync } from 'node:fs'
import { createServer } from 'node:net'
import { serve } from '@hono/node-server'
import { readConfig } from '../config.js'
import type { Database } from '../db/database.js'
import { log } from '../log.js'
import { APP_ROOT, appPath } from '../paths.js'
import { createApp } from '../web/app.js'

export interface RunningServer {
  origin: string
  // The processes that serve requests (and the cluster primary), for memory sampling.
  pids(): number[]
  stop(): Promise<void>
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer()
    probe.once('error', reject)
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address()
      probe.close(() => resolve(typeof address === 'object' && address ? address.port : 0))
    })
  })
}

// As production runs: NODE_ENV=production, no DEBUG; placeholder GitHub credentials that the
// benchmark never uses (it only reads public pages).
function productionEnv(extra: Record<string, string>): Record<string, string> {
  return {
    PATH: process.env.PATH ?? '',
    HOME: process.env.HOME ?? '',
    NODE_ENV: 'production',
    DEBUG: 'false',
    SECRET_KEY: 'bench-only-secret-key-0123456789abcdef',
    GITHUB_CLIENT_ID: 'bench',
    GITHUB_CLIENT_SECRET: 'bench',
    HOST: '127.0.0.1',
    // The in-process PGlite run; the child server is given DATABASE_URL.
    ALLOW_PGLITE_IN_PRODUCTION: 'true',
    // The bench repeats requests far past the limits; the API token's limit stays on, so its cost
    // is in what the API figures measure.
    RATE_LIMIT_EXPORTS: 'off',
    RATE_LIMIT_SEARCHES: 'off',
    RATE_LIMIT_UPLOADS: 'off',
    RATE_LIMIT_API_ADDRESS: 'off',
    RATE_LIMIT_API_TOKEN: '100000000/1m',
    ...extra,
  }
}

function childPids(parent: number): number[] {
  const pids: number[] = []
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8')
      // Fields after the command name (which may hold spaces): state, ppid, …
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1])
      if (ppid === parent) pids.push(Number(entry))
    } catch {
      // The process ended meanwhile.
    }
  }
  return pids
}

// The compiled build, as the Procfile runs it (`npm run build` first), or the sources through tsx.
export function buildApp(): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn('npx', ['tsc', '-p', 'tsconfig.build.json'], {
      cwd: APP_ROOT,
      stdio: ['ignore', 'inherit', 'inherit'],
    })
    child.on('error', reject)
    child.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`tsc exited ${code}`))))
  })
}

export async function startChildServer(options: {
  databaseUrl: string
  concurrency: number
  compiled: boolean
  log: (line: string) => void
}): Promise<RunningServer> {
  const port = await freePort()
  const entry = options.compiled
    ? [appPath('dist/src/main.js')]
    : ['--import', 'tsx', appPath('src/main.ts')]
  const child: ChildProcess = spawn(process.execPath, entry, {
    cwd: APP_ROOT,
    env: productionEnv({
      DATABASE_URL: options.databaseUrl,
      PORT: String(port),
      WEB_CONCURRENCY: String(options.concurrency),
    }),
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  // Until every worker listens, the output is kept (for an error) and searched as it comes; then
  // the request log is read and dropped. Searching all of it again on every chunk made the bench's
  // own process a CPU load that grew with the run, on the cores the server shares.
  let listening = 0
  let output = ''
  const read = (chunk: Buffer) => {
    if (listening >= options.concurrency) return
    output += chunk
    listening = output.split('HostedAPI listening').length - 1
  }
  child.stdout?.on('data', read)
  child.stderr?.on('data', read)
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()))
  const deadline = Date.now() + 60_000
  while (listening < options.concurrency) {
    if (child.exitCode !== null || Date.now() > deadline) {
      child.kill('SIGTERM')
      throw new Error(`The app did not start:\n${output}`)
    }
    await new Promise((resolve) => setTimeout(resolve, 100))
  }
  const pid = child.pid ?? 0
  const workers = childPids(pid)
  options.log(`App on port ${port}: primary ${pid}, workers ${workers.join(', ')}`)
  return {
    origin: `http://127.0.0.1:${port}`,
    pids: () => [pid, ...workers],
    async stop() {
      child.kill('SIGTERM')
      for (const worker of workers) {
        try {
          process.kill(worker, 'SIGTERM')
        } catch {
          // Already gone with its primary.
        }
      }
      await exited
    },
  }
}

// PGlite cannot be shared between processes, so the app runs here, on the same database object.
export async function startInProcessServer(database: Database): Promise<RunningServer> {
  const port = await freePort()
  const config = readConfig(productionEnv({ PORT: String(port) }))
  // The request log would share stdout with the report.
  log.level = 'warn'
  const app = createApp({ config, database })
  const server = await new Promise<ReturnType<typeof serve>>((resolve) => {
    const started = serve({ fetch: app.fetch, port, hostname: '127.0.0.1' }, () => resolve(started))
  })
  return {
    origin: `http://127.0.0.1:${port}`,
    pids: () => [process.pid],
    stop: () => new Promise((resolve) => server.close(() => resolve())),
  }
}

// Resident memory of a process in bytes (VmRSS), 0 when it is gone.
export function rssBytes(pid: number): number {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8')
    const kb = /^VmRSS:\s+(\d+)\s+kB/m.exec(status)?.[1]
    return kb ? Number(kb) * 1024 : 0
  } catch {
    return 0
  }
}

// Samples the summed RSS of `pids` every `intervalMs` while `work` runs.
export async function sampleRss<T>(
  pids: number[],
  work: () => Promise<T>,
  intervalMs = 50,
): Promise<{ result: T; before: number; peak: number }> {
  const total = () => pids.reduce((sum, pid) => sum + rssBytes(pid), 0)
  const before = total()
  let peak = before
  const timer = setInterval(() => {
    peak = Math.max(peak, total())
  }, intervalMs)
  try {
    const result = await work()
    peak = Math.max(peak, total())
    return { result, before, peak }
  } finally {
    clearInterval(timer)
  }
}

// A trivial server in its own process answering a fixed body: what this client can drive.
export async function startCeilingServer(bodyBytes: number): Promise<RunningServer> {
  const port = await freePort()
  const script = `const body = Buffer.alloc(${bodyBytes}, 97)
require('node:http').createServer((req, res) => {
  res.writeHead(200, { 'content-type': 'text/html', 'content-length': body.length }); res.end(body)
}).listen(${port}, '127.0.0.1', () => console.log('ready'))`
  const child = spawn(process.execPath, ['-e', script], { stdio: ['ignore', 'pipe', 'inherit'] })
  await new Promise<void>((resolve, reject) => {
    child.stdout.once('data', () => resolve())
    child.once('exit', (code) => reject(new Error(`ceiling server exited ${code}`)))
  })
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()))
  return {
    origin: `http://127.0.0.1:${port}`,
    pids: () => (child.pid ? [child.pid] : []),
    async stop() {
      child.kill('SIGTERM')
      await exited
    },
  }
}
