// Error reporting: Sentry when SENTRY_DSN is set, every event tagged with the release.
import * as Sentry from '@sentry/node'
import type { Config } from './config.js'

export function initSentry(config: Config, transport?: Sentry.NodeOptions['transport']): boolean {
  if (!config.sentryDsn) return false
  Sentry.init({
    dsn: config.sentryDsn,
    release: config.release,
    environment: config.sentryEnvironment,
    tracesSampleRate: 0,
    ...(transport ? { transport } : {}),
  })
  return true
}

export function reportError(error: unknown): void {
  if (Sentry.isInitialized()) Sentry.captureException(error)
}

export const flushSentry = (timeoutMs = 2000) => Sentry.flush(timeoutMs)
