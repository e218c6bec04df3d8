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

// The request id ties an event to its line in the request log (and Heroku's router log).
export function reportError(error: unknown, context: { requestId?: string | null } = {}): void {
  if (!Sentry.isInitialized()) return
  Sentry.captureException(
    error,
    context.requestId ? { tags: { request_id: context.requestId } } : undefined,
  )
}

export const flushSentry = (timeoutMs = 2000) => Sentry.flush(timeoutMs)
