// One place for failures: 4xx as friendly pages (or JSON), anything else a 500 reported to Sentry.
import type { Context, ErrorHandler, NotFoundHandler } from 'hono'
import { HTTPException } from 'hono/http-exception'
import type { ContentfulStatusCode } from 'hono/utils/http-status'
import { BodyTooLargeError } from '../lib/body-too-large.js'
import { reportError } from '../sentry.js'
import type { AppEnv } from './env.js'
import { renderPage, wantsJson } from './render.js'

const TITLES: Record<number, string> = {
  400: 'Bad request',
  403: 'Not allowed',
  404: 'Page not found',
  405: 'Method not allowed',
  413: 'Too large',
  429: 'Too many requests',
  500: 'Server error',
}

export function errorResponse(
  c: Context<AppEnv>,
  status: ContentfulStatusCode,
  message: string,
  stack: string | null = null,
) {
  const title = TITLES[status] ?? 'Error'
  if (wantsJson(c)) return c.json({ error: { status, title, message } }, status)
  return renderPage(c, 'error', { title, status, message, stack }, status)
}

export const notFound: NotFoundHandler<AppEnv> = (c) =>
  errorResponse(
    c,
    404,
    'There is nothing at this address. Check the link, or start from the home page.',
  )

export const onError: ErrorHandler<AppEnv> = (error, c) => {
  // Whoever read the body met its route's limit (see middleware/body-limit.ts).
  if (error instanceof BodyTooLargeError) return errorResponse(c, 413, error.message)
  if (error instanceof HTTPException && error.status < 500) {
    return errorResponse(
      c,
      error.status as ContentfulStatusCode,
      error.message || TITLES[error.status] || 'Error',
    )
  }
  reportError(error)
  console.error(error)
  const debug = c.get('config')?.debug ?? false
  return errorResponse(
    c,
    500,
    'Something went wrong on our side. It has been reported; please try again in a moment.',
    debug && error instanceof Error ? (error.stack ?? String(error)) : null,
  )
}
