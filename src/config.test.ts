import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { loadDotEnv, readConfig } from './config.js'

const production = {
  NODE_ENV: 'production',
  SECRET_KEY: 'x'.repeat(32),
  DATABASE_URL: 'postgres://app@db.example.com:5432/app',
  GITHUB_CLIENT_ID: 'id',
  GITHUB_CLIENT_SECRET: 'secret',
}

describe('readConfig', () => {
  it('has working defaults for local development', () => {
    const config = readConfig({}, '1.2.3')
    expect(config).toMatchObject({
      port: 8000,
      debug: false,
      databaseUrl: null,
      databasePoolMax: 5,
      pgliteDir: '.data/pglite',
      webConcurrency: 1,
      mockGithub: true,
      release: '1.2.3',
      trustProxy: false,
    })
  })

  it('takes the release from Heroku, then the source version, then the package', () => {
    expect(readConfig({ HEROKU_RELEASE_VERSION: 'v42', SOURCE_VERSION: 'abc' }).release).toBe('v42')
    expect(readConfig({ SOURCE_VERSION: 'abc' }).release).toBe('abc')
  })

  it('reads Postgres settings and worker count', () => {
    const config = readConfig({
      DATABASE_URL: 'postgres://localhost/app',
      DATABASE_POOL_MAX: '3',
      WEB_CONCURRENCY: '4',
      TRUST_PROXY: 'true',
      DEBUG: '1',
    })
    expect(config).toMatchObject({
      databasePoolMax: 3,
      webConcurrency: 4,
      trustProxy: true,
      debug: true,
    })
  })

  it('runs one process on the embedded database, whatever WEB_CONCURRENCY says', () => {
    expect(readConfig({ WEB_CONCURRENCY: '4' }).webConcurrency).toBe(1)
  })

  it('reads the shutdown deadline in seconds, the log level and the SSL mode', () => {
    expect(readConfig({})).toMatchObject({
      shutdownTimeoutMs: 25_000,
      logLevel: 'info',
      databaseSslMode: null,
      reviewApp: null,
    })
    expect(
      readConfig({ SHUTDOWN_TIMEOUT: '10', LOG_LEVEL: 'warn', PGSSLMODE: 'no-verify' }),
    ).toMatchObject({ shutdownTimeoutMs: 10_000, logLevel: 'warn', databaseSslMode: 'no-verify' })
  })

  it('starts in production with Postgres and real GitHub credentials', () => {
    const config = readConfig(production)
    expect(config).toMatchObject({ isProduction: true, mockGithub: false, reviewApp: null })
  })

  it('keeps the embedded database in production only when explicitly allowed', () => {
    const { DATABASE_URL: _, ...withoutDatabase } = production
    const config = readConfig({ ...withoutDatabase, ALLOW_PGLITE_IN_PRODUCTION: 'true' })
    expect(config.databaseUrl).toBeNull()
  })

  it('offers the mock GitHub in production on a Heroku review app, which Heroku marks', () => {
    const { GITHUB_CLIENT_ID: _, GITHUB_CLIENT_SECRET: __, ...withoutGithub } = production
    const config = readConfig({ ...withoutGithub, HEROKU_PR_NUMBER: '42', HEROKU_BRANCH: 'fix-x' })
    expect(config).toMatchObject({
      mockGithub: true,
      reviewApp: { prNumber: '42', branch: 'fix-x' },
    })
    expect(readConfig({ ...production, HEROKU_PR_NUMBER: '7', MOCK_GITHUB: 'true' })).toMatchObject(
      { mockGithub: true, reviewApp: { prNumber: '7', branch: null } },
    )
    // A review app may still sign in through a real GitHub OAuth app.
    expect(readConfig({ ...production, HEROKU_PR_NUMBER: '7' }).mockGithub).toBe(false)
  })

  it('treats empty values as unset', () => {
    expect(readConfig({ PORT: '', SENTRY_DSN: '' }).port).toBe(8000)
  })

  it.each([
    [{ PORT: 'eighty' }, 'PORT must be a whole number'],
    [{ PORT: '70000' }, 'PORT must be at most 65535'],
    [{ DEBUG: 'maybe' }, 'DEBUG must be true or false'],
    [{ DATABASE_URL: 'not a url' }, 'DATABASE_URL must be a URL'],
    [{ DATABASE_POOL_MAX: '0' }, 'DATABASE_POOL_MAX must be at least 1'],
    [{ NODE_ENV: 'staging' }, 'NODE_ENV'],
    [{ SECRET_KEY: 'short' }, 'SECRET_KEY must be at least 32 characters'],
    [
      { NODE_ENV: 'production', GITHUB_CLIENT_ID: 'id', GITHUB_CLIENT_SECRET: 's' },
      'SECRET_KEY is required',
    ],
    [
      { NODE_ENV: 'production', SECRET_KEY: 'x'.repeat(32), MOCK_GITHUB: 'true' },
      'MOCK_GITHUB must not be true',
    ],
    [
      { NODE_ENV: 'production', SECRET_KEY: 'x'.repeat(32) },
      'GITHUB_CLIENT_ID is required when NODE_ENV=production',
    ],
    [{ GITHUB_CLIENT_ID: 'id' }, 'GITHUB_CLIENT_SECRET is required'],
    [{ MOCK_GITHUB: 'false' }, 'GITHUB_CLIENT_ID is required when MOCK_GITHUB is false'],
    [
      { NODE_ENV: 'production', SECRET_KEY: 'x'.repeat(32), MOCK_GITHUB: 'false' },
      'GITHUB_CLIENT_ID is required when NODE_ENV=production',
    ],
    [{ ...production, DATABASE_URL: '' }, 'DATABASE_URL is required when NODE_ENV=production'],
    [
      { ...production, DATABASE_URL: '', ALLOW_PGLITE_IN_PRODUCTION: 'false' },
      'set ALLOW_PGLITE_IN_PRODUCTION=true',
    ],
    [{ ...production, HEROKU_PR_NUMBER: 'main' }, 'HEROKU_PR_NUMBER must be a whole number'],
    [{ SHUTDOWN_TIMEOUT: '0' }, 'SHUTDOWN_TIMEOUT must be at least 1'],
    [{ SHUTDOWN_TIMEOUT: '25s' }, 'SHUTDOWN_TIMEOUT must be a whole number'],
    [{ LOG_LEVEL: 'verbose' }, 'LOG_LEVEL must be one of fatal, error, warn, info, debug, silent'],
    [{ PGSSLMODE: 'prefer' }, 'PGSSLMODE must be one of disable, require, no-verify, verify-full'],
  ])('refuses %j with one clear line', (env, message) => {
    expect(() => readConfig(env)).toThrow(message)
  })
})

describe('loadDotEnv', () => {
  it('reads a .env file without overriding real variables', () => {
    const dir = mkdtempSync(join(tmpdir(), 'env-'))
    const path = join(dir, '.env')
    writeFileSync(path, '# comment\nDEBUG=true\nexport PORT="9000"\nSECRET_KEY=from-file\n\n')
    const env: Record<string, string> = { SECRET_KEY: 'from-env' }
    loadDotEnv(path, env)
    expect(env).toEqual({ DEBUG: 'true', PORT: '9000', SECRET_KEY: 'from-env' })
    loadDotEnv(join(dir, 'missing'), env)
  })
})
