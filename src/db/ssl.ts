// TLS for the pg pool: PGSSLMODE, else the URL's sslmode, else on (unverified) for any remote host.
import type { ConnectionOptions } from 'node:tls'

// libpq's names, as Heroku and psql use them, plus node-postgres's `no-verify`.
export const SSL_MODES = ['disable', 'require', 'no-verify', 'verify-full'] as const
export type SslMode = (typeof SSL_MODES)[number]

export type PoolSsl = false | ConnectionOptions

const LOCAL_HOSTS = new Set(['', 'localhost', '127.0.0.1', '[::1]'])

// The sslmode a connection string asks for, if any; a value we do not support is an error.
export function sslModeInUrl(url: string): SslMode | null {
  const mode = new URL(url).searchParams.get('sslmode')
  if (mode === null) return null
  if ((SSL_MODES as readonly string[]).includes(mode)) return mode as SslMode
  throw new Error(`sslmode=${mode} in DATABASE_URL is not supported (use ${SSL_MODES.join(', ')})`)
}

// Heroku Postgres requires TLS but its certificates do not verify against the system roots, so
// Heroku documents `rejectUnauthorized: false` for node-postgres; a server on this machine (and a
// Unix socket) needs no TLS at all.
export function poolSsl(url: string, mode: SslMode | null): PoolSsl {
  const parsed = new URL(url)
  const socket = parsed.searchParams.get('host')?.startsWith('/') ?? false
  const effective = mode ?? (LOCAL_HOSTS.has(parsed.hostname) || socket ? 'disable' : 'no-verify')
  switch (effective) {
    case 'disable':
      return false
    case 'require':
    case 'no-verify':
      return { rejectUnauthorized: false }
    case 'verify-full':
      return { rejectUnauthorized: true }
  }
}

// pg lets the URL's ssl settings override the `ssl` option it is given, so ours leave the URL.
export function withoutSslParams(url: string): string {
  const parsed = new URL(url)
  parsed.searchParams.delete('sslmode')
  parsed.searchParams.delete('ssl')
  return parsed.toString()
}
