// One place for failures: refusals as friendly pages (or problem JSON, always for the API), a sign-in
// for the signed-out, a 503 while the database is away,
// anything else a 500 reported to Sentry; each logged with its request id.
import type { Context, ErrorHandler, NotFoundHandler } from 'hono'
import { HTTPException } from 'hono/http-exception'
import type { ContentfulStatusCode } from 'hono/utils/http-status'
import { problem, refusalProblem } from '../api/problem.js'
import { MovedError, REFUSAL_STATUS } from '../application/errors.js'
import { asAppError } from '../application/refusals.js'
import { isDatabaseUnavailable } from '../db/unavailable.js'
import { BodyTooLargeError } from '../lib/body-too-large.js'
import { API_BASE } from '../lib/paths.js'
import { safeRedirectPath } from '../lib/redirect.js'
import { log } from '../log.js'
import { reportError } from '../sentry.js'
import type { AppEnv } from './env.js'
import { renderPage, wantsJson } from './render.js'
import { origin, withQuery } from './urls.js'

const TITLES: Record<number, string> = {
  400: 'Bad request',
  403: 'Not allowed',
  404: 'Page not found',
  405: 'Method not allowed',
  413: 'Too large',
  429: 'Too many requests',
  500: 'Server error',
  503: 'Service unavailable',
}

// Seconds a client should wait before trying again while the database is away.
export const RETRY_AFTER_SECONDS = 5

export function errorResponse(
  c: Context<AppEnv>,
  status: ContentfulStatusCode,
  message: string,
  stack: string | null = null,
) {
  const title = TITLES[status] ?? 'Error'
  if (wantsJson(c)) return problem(c, status, message)
  return renderPage(c, 'error', { title, status, message, stack }, status)
}

export const notFound: NotFoundHandler<AppEnv> = (c) =>
  errorResponse(
    c,
    404,
    'There is nothing at this address. Check the link, or start from the home page.',
  )

// Off to sign in, then back to this page (for a GET) or the page the form was on.
function signIn(c: Context<AppEnv>) {
  const here = new URL(c.req.url)
  const back = safeRedirectPath(
    c.req.method === 'GET' ? `${here.pathname}${here.search}` : c.req.header('referer'),
    origin(c),
  )
  return c.redirect(withQuery('/auth/login', { next: back }), 303)
}

// The same address under the table's new slug, the rest of the path (a row, a tab) and the query kept.
function moved(c: Context<AppEnv>, username: string, slug: string) {
  const url = new URL(c.req.url)
  const segments = url.pathname.split('/')
  // /{username}/tables/{table}/…
  segments[1] = encodeURIComponent(username)
  segments[3] = encodeURIComponent(slug)
  return c.redirect(`${segments.join('/')}${url.search}`, 301)
}

// The application's refusals as pages (null for anything else).
function pageRefusal(c: Context<AppEnv>, error: unknown) {
  if (error instanceof MovedError) return moved(c, error.username, error.slug)
  const refusal = asAppError(error)
  if (!refusal) return null
  if (refusal.kind === 'unauthorized') return signIn(c)
  return errorResponse(c, REFUSAL_STATUS[refusal.kind], refusal.message)
}

export const onError: ErrorHandler<AppEnv> = (error, c) => {
  // The API answers problem details; the pages answer a page, or JSON when it was asked for.
  const api = c.req.path.startsWith(`${API_BASE}/`)
  const respond = (status: ContentfulStatusCode, message: string) =>
    api ? problem(c, status, message) : errorResponse(c, status, message)
  const refused = api ? refusalProblem(c, error) : pageRefusal(c, error)
  if (refused) return refused
  // Whoever read the body met its route's limit (see middleware/body-limit.ts).
  if (error instanceof BodyTooLargeError) return respond(413, error.message)
  if (error instanceof HTTPException && error.status < 500) {
    return respond(
      error.status as ContentfulStatusCode,
      error.message || TITLES[error.status] || 'Error',
    )
  }
  const requestId = c.get('requestId') ?? null
  // The request's logger carries its id; an app without the request log middleware has none.
  const logger = c.get('logger') ?? log
  if (c.req.raw.signal?.aborted) {
    // The client hung up (or the server cut it off at shutdown): nobody to answer, nothing broken.
    logger.info({ err: error }, 'The client went away before the request was read')
    return respond(400, 'The request was cut short.')
  }
  if (isDatabaseUnavailable(error)) {
    // An outage is not a bug: logged, not sent to Sentry once per request.
    logger.warn({ err: error }, 'The database is unavailable')
    c.header('Retry-After', String(RETRY_AFTER_SECONDS))
    return respond(
      503,
      'The database is not answering just now. Please try again in a few seconds.',
    )
  }
  reportError(error, { requestId })
  logger.error({ err: error }, 'Unhandled error')
  if (api)
    return problem(
      c,
      500,
      'Something went wrong on our side. It has been reported; try again soon.',
    )
  const debug = c.get('config')?.debug ?? false
  return errorResponse(
    c,
    500,
    'Something went wrong on our side. It has been reported; please try again in a moment.',
    debug && error instanceof Error ? (error.stack ?? String(error)) : null,
  )
}
