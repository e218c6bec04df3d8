// One log line per request (method, path, status, duration, request id), and the request id:
// Heroku's router's X-Request-ID when it sends one, else a new UUID, sent back on the response.
import { createMiddleware } from 'hono/factory'
import { requestId } from 'hono/request-id'
import type { Logger } from 'pino'
import type { AppEnv } from '../env.js'

declare module 'hono' {
  interface ContextVariableMap {
    // The app's logger with this request's id bound, for any line logged while serving it.
    logger: Logger
  }
}

export const REQUEST_ID_HEADER = 'X-Request-ID'

export const requestIds = () => requestId({ headerName: REQUEST_ID_HEADER })

export const requestLog = (logger: Logger) =>
  createMiddleware<AppEnv>(async function requestLog(c, next) {
    const started = performance.now()
    const requestLogger = logger.child({ request_id: c.get('requestId') })
    c.set('logger', requestLogger)
    await next()
    // The path only: a query string can carry OAuth codes, CSRF tokens and search terms.
    const { method, path } = c.req
    const { status } = c.res
    // Until the response starts: a streamed export goes on after this line.
    const ms = Math.round((performance.now() - started) * 10) / 10
    // An API token is named by its id, never its value.
    const tokenId = c.get('actor')?.tokenId ?? null
    const line = { method, path, status, ms, ...(tokenId === null ? {} : { token_id: tokenId }) }
    const message = `${method} ${path} ${status} ${ms}ms`
    if (status >= 500) requestLogger.warn(line, message)
    else requestLogger.info(line, message)
  })
