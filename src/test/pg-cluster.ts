// Throwaway Postgres clusters for tests and scripts/heroku-smoke: initdb on a free port in a temp
// folder, optionally SSL-only with a self-signed certificate; start, stop, restart, destroy.
import { execFile, execFileSync } from 'node:child_process'
import { chownSync, existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs'
import { createServer } from 'node:net'
import { tmpdir, userInfo } from 'node:os'
import { join } from 'node:path'
import { promisify } from 'node:util'

const run = promisify(execFile)

// PG_BIN, else the newest server installed the Debian/Ubuntu way.
export function postgresBinDir(): string | null {
  if (process.env.PG_BIN) return process.env.PG_BIN
  const root = '/usr/lib/postgresql'
  if (!existsSync(root)) return null
  const versions = readdirSync(root)
    .filter((name) => existsSync(join(root, name, 'bin', 'initdb')))
    .sort((a, b) => Number(b) - Number(a))
  return versions[0] ? join(root, versions[0], 'bin') : null
}

export const hasPostgresBinaries = postgresBinDir() !== null

export interface PgCluster {
  host: string
  port: number
  dir: string
  url(database?: string): string
  start(): Promise<void>
  stop(): Promise<void>
  restart(): Promise<void>
  destroy(): Promise<void>
}

export function freePort(host = '127.0.0.1'): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer()
    probe.once('error', reject)
    probe.listen(0, host, () => {
      const address = probe.address()
      probe.close(() => resolve(typeof address === 'object' && address ? address.port : 0))
    })
  })
}

const live = new Set<{ bin: string; data: string; dir: string; asPostgres: boolean }>()

// A test runner that dies must not leave servers behind.
process.once('exit', () => {
  for (const cluster of live) {
    try {
      const args = [join(cluster.bin, 'pg_ctl'), '-D', cluster.data, '-m', 'immediate', 'stop']
      if (cluster.asPostgres) execFileSync('runuser', ['-u', 'postgres', '--', ...args])
      else execFileSync(args[0] as string, args.slice(1))
    } catch {
      // Not running.
    }
    rmSync(cluster.dir, { recursive: true, force: true })
  }
})

// `host` is where it listens; 127.0.0.2 is on the loopback too but does not look local, which
// lets a test take the path a remote (Heroku) database takes.
export async function createPgCluster(
  options: { ssl?: boolean; host?: string } = {},
): Promise<PgCluster> {
  const bin = postgresBinDir()
  if (!bin) throw new Error('PostgreSQL server binaries not found (set PG_BIN)')
  const host = options.host ?? '127.0.0.1'
  const port = await freePort(host)
  const dir = mkdtempSync(join(tmpdir(), 'hostedapi-pg-'))
  const data = join(dir, 'data')
  // initdb refuses to run as root.
  const asPostgres = userInfo().uid === 0
  const owner = asPostgres ? Number(execFileSync('id', ['-u', 'postgres']).toString()) : -1
  const as = (command: string, args: string[]) =>
    asPostgres
      ? run('runuser', ['-u', 'postgres', '--', join(bin, command), ...args])
      : run(join(bin, command), args)
  if (asPostgres) chownSync(dir, owner, -1)
  await as('initdb', ['-D', data, '-U', 'postgres', '--auth=trust', '-E', 'UTF8', '--no-sync'])

  const settings = [
    `port = ${port}`,
    `listen_addresses = '${host}'`,
    `unix_socket_directories = '${dir}'`,
    'fsync = off',
    'max_connections = 40',
  ]
  if (options.ssl) {
    await run('openssl', [
      ...['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '2'],
      ...['-keyout', join(dir, 'server.key'), '-out', join(dir, 'server.crt')],
      ...['-subj', `/CN=${host}`],
    ])
    if (asPostgres) {
      chownSync(join(dir, 'server.key'), owner, -1)
      chownSync(join(dir, 'server.crt'), owner, -1)
    }
    settings.push(
      'ssl = on',
      `ssl_cert_file = '${join(dir, 'server.crt')}'`,
      `ssl_key_file = '${join(dir, 'server.key')}'`,
    )
  }
  writeFileSync(join(data, 'postgresql.auto.conf'), `${settings.join('\n')}\n`)
  // SSL-only means a connection without TLS matches no line and is refused.
  const tcp = options.ssl ? 'hostssl' : 'host'
  writeFileSync(
    join(data, 'pg_hba.conf'),
    `local all all trust\n${tcp} all all 127.0.0.0/8 trust\n`,
  )

  const record = { bin, data, dir, asPostgres }
  live.add(record)
  const cluster: PgCluster = {
    host,
    port,
    dir,
    url: (database = 'postgres') => `postgres://postgres@${host}:${port}/${database}`,
    async start() {
      await as('pg_ctl', ['-D', data, '-l', join(dir, 'server.log'), '-w', '-t', '60', 'start'])
    },
    async stop() {
      await as('pg_ctl', ['-D', data, '-m', 'fast', '-w', '-t', '60', 'stop'])
    },
    async restart() {
      await cluster.stop()
      await cluster.start()
    },
    async destroy() {
      await cluster.stop().catch(() => {})
      live.delete(record)
      rmSync(dir, { recursive: true, force: true })
    },
  }
  await cluster.start()
  return cluster
}
