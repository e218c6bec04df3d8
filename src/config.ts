// Settings, read once from the environment (and a local .env when present), validated up front.
import { existsSync, readFileSync } from 'node:fs'
import * as v from 'valibot'
import { type LimitsConfig, LimitsEnvSchema, readLimits } from './config-limits.js'

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
  WEB_CONCURRENCY: v.optional(positiveIntSchema(64), '1'),
  TRUST_PROXY: v.optional(booleanSchema, 'false'),
  SENTRY_DSN: v.optional(urlSchema),
  SENTRY_ENVIRONMENT: v.optional(v.string()),
  HEROKU_RELEASE_VERSION: v.optional(v.string()),
  SOURCE_VERSION: v.optional(v.string()),
  GITHUB_CLIENT_ID: v.optional(v.string()),
  GITHUB_CLIENT_SECRET: v.optional(v.string()),
  MOCK_GITHUB: v.optional(booleanSchema),
  ...LimitsEnvSchema.entries,
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
  pgliteDir: string
  webConcurrency: number
  trustProxy: boolean
  sentryDsn: string | null
  sentryEnvironment: string
  release: string
  githubClientId: string | null
  githubClientSecret: string | null
  mockGithub: boolean
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
  const mockGithub = e.MOCK_GITHUB ?? !e.GITHUB_CLIENT_ID
  if (isProduction && e.MOCK_GITHUB) {
    throw new ConfigError('MOCK_GITHUB must not be true when NODE_ENV=production')
  }
  if (isProduction && !e.GITHUB_CLIENT_ID) {
    throw new ConfigError(
      'GITHUB_CLIENT_ID is required when NODE_ENV=production (the mock GitHub is for development)',
    )
  }
  if (isProduction && !e.SECRET_KEY) {
    throw new ConfigError('SECRET_KEY is required when NODE_ENV=production')
  }
  if (!mockGithub && !(e.GITHUB_CLIENT_ID && e.GITHUB_CLIENT_SECRET)) {
    throw new ConfigError('GITHUB_CLIENT_SECRET is required when GITHUB_CLIENT_ID is set')
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
    pgliteDir: e.PGLITE_DIR,
    webConcurrency: e.DATABASE_URL ? e.WEB_CONCURRENCY : 1,
    trustProxy: e.TRUST_PROXY,
    sentryDsn: e.SENTRY_DSN ?? null,
    sentryEnvironment: e.SENTRY_ENVIRONMENT ?? e.NODE_ENV,
    release: e.HEROKU_RELEASE_VERSION ?? e.SOURCE_VERSION ?? packageVersion,
    githubClientId: e.GITHUB_CLIENT_ID ?? null,
    githubClientSecret: e.GITHUB_CLIENT_SECRET ?? null,
    mockGithub,
    ...readLimits(e),
  }
}
