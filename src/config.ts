// Settings, read once from the environment (and a local .env when present), validated up front.
import { existsSync, readFileSync } from 'node:fs'
import * as v from 'valibot'
import { type LimitsConfig, LimitsEnvSchema, readLimits } from './config-limits.js'
import { readStorage, type StorageConfig, StorageEnvSchema } from './config-storage.js'
import { SSL_MODES, type SslMode, sslModeInUrl } from './db/ssl.js'
import { LOG_LEVELS, type LogLevel } from './log.js'

const booleanSchema = v.pipe(
  v.picklist(['true', 'false', '1', '0', 'yes', 'no'], 'must be true or false'),
  v.transform((value) => ['true', '1', 'yes'].includes(value)),
)

const positiveIntSchema = (max: number) =>
  v.pipe(
    v.string(),
    v.regex(/^\d+$/, 'must be a whole number'),
    v.transform(Number),
    v.minValue(1, 'must be at least 1'),
    v.maxValue(max, `must be at most ${max}`),
  )

const urlSchema = v.pipe(v.string(), v.url('must be a URL'))

export const EnvSchema = v.object({
  NODE_ENV: v.optional(v.picklist(['development', 'production', 'test']), 'development'),
  PORT: v.optional(positiveIntSchema(65535), '8000'),
  HOST: v.optional(v.pipe(v.string(), v.nonEmpty()), '0.0.0.0'),
  DEBUG: v.optional(booleanSchema, 'false'),
  SECRET_KEY: v.optional(v.pipe(v.string(), v.minLength(32, 'must be at least 32 characters'))),
  DATABASE_URL: v.optional(urlSchema),
  DATABASE_POOL_MAX: v.optional(positiveIntSchema(100), '5'),
  PGLITE_DIR: v.optional(v.pipe(v.string(), v.nonEmpty()), '.data/pglite'),
  PGSSLMODE: v.optional(v.picklist(SSL_MODES, `must be one of ${SSL_MODES.join(', ')}`)),
  ALLOW_PGLITE_IN_PRODUCTION: v.optional(booleanSchema, 'false'),
  WEB_CONCURRENCY: v.optional(positiveIntSchema(64), '1'),
  SHUTDOWN_TIMEOUT: v.optional(positiveIntSchema(300), '25'),
  LOG_LEVEL: v.optional(v.picklist(LOG_LEVELS, `must be one of ${LOG_LEVELS.join(', ')}`), 'info'),
  TRUST_PROXY: v.optional(booleanSchema, 'false'),
  SENTRY_DSN: v.optional(urlSchema),
  SENTRY_ENVIRONMENT: v.optional(v.string()),
  HEROKU_RELEASE_VERSION: v.optional(v.string()),
  SOURCE_VERSION: v.optional(v.string()),
  GITHUB_CLIENT_ID: v.optional(v.string()),
  GITHUB_CLIENT_SECRET: v.optional(v.string()),
  MOCK_GITHUB: v.optional(booleanSchema),
  HEROKU_PR_NUMBER: v.optional(v.pipe(v.string(), v.regex(/^\d+$/, 'must be a whole number'))),
  HEROKU_BRANCH: v.optional(v.string()),
  ...LimitsEnvSchema.entries,
  ...StorageEnvSchema.entries,
})

export type Env = v.InferOutput<typeof EnvSchema>

export interface Config extends LimitsConfig {
  env: Env['NODE_ENV']
  isProduction: boolean
  port: number
  host: string
  debug: boolean
  secretKey: string
  databaseUrl: string | null
  databasePoolMax: number
  databaseSslMode: SslMode | null
  pgliteDir: string
  webConcurrency: number
  shutdownTimeoutMs: number
  logLevel: LogLevel
  trustProxy: boolean
  sentryDsn: string | null
  sentryEnvironment: string
  release: string
  githubClientId: string | null
  githubClientSecret: string | null
  mockGithub: boolean
  // Set on a Heroku review app (Heroku injects HEROKU_PR_NUMBER there and nowhere else).
  reviewApp: { prNumber: string; branch: string | null } | null
  // Where uploaded files go.
  storage: StorageConfig
}

export class ConfigError extends Error {}

const DEV_SECRET = 'development-only-secret-key-not-for-production-use'

// Reads KEY=value lines; real environment variables win over the file.
export function loadDotEnv(path = '.env', env: NodeJS.ProcessEnv = process.env): void {
  if (!existsSync(path)) return
  for (const line of readFileSync(path, 'utf8').split(/\r?\n/)) {
    const match = /^\s*(?:export\s+)?([A-Z_][A-Z0-9_]*)\s*=\s*(.*?)\s*$/.exec(line)
    if (!match?.[1] || env[match[1]] !== undefined) continue
    env[match[1]] = (match[2] ?? '').replace(/^(['"])(.*)\1$/, '$2')
  }
}

export function readConfig(
  env: Record<string, string | undefined> = process.env,
  packageVersion = '0.0.0',
): Config {
  // Empty strings count as unset, as Heroku and .env files often leave them.
  const present = Object.fromEntries(Object.entries(env).filter(([, value]) => value !== ''))
  const result = v.safeParse(EnvSchema, present)
  if (!result.success) {
    const issue = result.issues[0]
    const key = issue.path?.[0]?.key ?? 'environment'
    throw new ConfigError(`${String(key)} ${issue.message}`)
  }
  const e = result.output
  const isProduction = e.NODE_ENV === 'production'
  const reviewApp = e.HEROKU_PR_NUMBER
    ? { prNumber: e.HEROKU_PR_NUMBER, branch: e.HEROKU_BRANCH ?? null }
    : null
  const mockGithub = e.MOCK_GITHUB ?? !e.GITHUB_CLIENT_ID
  const clientIdRequired =
    'GITHUB_CLIENT_ID is required when NODE_ENV=production (the mock GitHub is for development)'
  // Anyone can sign in as anyone through the mock: only a review app may offer it in production.
  if (isProduction && mockGithub && !reviewApp) {
    throw new ConfigError(
      e.MOCK_GITHUB
        ? 'MOCK_GITHUB must not be true when NODE_ENV=production (only on a Heroku review app)'
        : clientIdRequired,
    )
  }
  if (!mockGithub && !e.GITHUB_CLIENT_ID) {
    throw new ConfigError(
      isProduction ? clientIdRequired : 'GITHUB_CLIENT_ID is required when MOCK_GITHUB is false',
    )
  }
  if (isProduction && !e.SECRET_KEY) {
    throw new ConfigError('SECRET_KEY is required when NODE_ENV=production')
  }
  if (!mockGithub && !e.GITHUB_CLIENT_SECRET) {
    throw new ConfigError('GITHUB_CLIENT_SECRET is required when GITHUB_CLIENT_ID is set')
  }
  let databaseSslMode = e.PGSSLMODE ?? null
  try {
    databaseSslMode ??= e.DATABASE_URL ? sslModeInUrl(e.DATABASE_URL) : null
  } catch (error) {
    throw new ConfigError((error as Error).message)
  }
  if (isProduction && !e.DATABASE_URL && !e.ALLOW_PGLITE_IN_PRODUCTION) {
    throw new ConfigError(
      'DATABASE_URL is required when NODE_ENV=production: without it every table would live on ' +
        "this machine's disk, which Heroku wipes at each restart (on a server with a disk that " +
        'lasts, set ALLOW_PGLITE_IN_PRODUCTION=true)',
    )
  }
  return {
    env: e.NODE_ENV,
    isProduction,
    port: e.PORT,
    host: e.HOST,
    debug: e.DEBUG,
    secretKey: e.SECRET_KEY ?? DEV_SECRET,
    databaseUrl: e.DATABASE_URL ?? null,
    databasePoolMax: e.DATABASE_POOL_MAX,
    databaseSslMode,
    pgliteDir: e.PGLITE_DIR,
    webConcurrency: e.DATABASE_URL ? e.WEB_CONCURRENCY : 1,
    shutdownTimeoutMs: e.SHUTDOWN_TIMEOUT * 1000,
    logLevel: e.LOG_LEVEL,
    trustProxy: e.TRUST_PROXY,
    sentryDsn: e.SENTRY_DSN ?? null,
    sentryEnvironment: e.SENTRY_ENVIRONMENT ?? e.NODE_ENV,
    release: e.HEROKU_RELEASE_VERSION ?? e.SOURCE_VERSION ?? packageVersion,
    githubClientId: e.GITHUB_CLIENT_ID ?? null,
    githubClientSecret: e.GITHUB_CLIENT_SECRET ?? null,
    mockGithub,
    reviewApp,
    storage: readStorage(e, { databaseUrl: e.DATABASE_URL ?? null, pgliteDir: e.PGLITE_DIR }),
    ...readLimits(e),
  }
}
