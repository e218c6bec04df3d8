// Errors as RFC 9457 problem details (application/problem+json), for every API answer that is not a success.
import type { Context } from 'hono'
import type { ContentfulStatusCode } from 'hono/utils/http-status'
import { AppError, MovedError, REFUSAL_STATUS } from '../application/errors.js'
import { asAppError } from '../application/refusals.js'
import { fieldPointers, problemRepresentation } from '../application/representations.js'

export const TITLES: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
  409: 'Conflict',
  411: 'Length Required',
  412: 'Precondition Failed',
  413: 'Content Too Large',
  415: 'Unsupported Media Type',
  422: 'Unprocessable Content',
  428: 'Precondition Required',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
  503: 'Service Unavailable',
}

export function problem(
  c: Context,
  status: ContentfulStatusCode,
  detail: string,
  extras: Record<string, unknown> = {},
) {
  const body = problemRepresentation({
    status,
    title: TITLES[status] ?? 'Error',
    detail,
    ...extras,
  })
  if (status === 401) c.header('WWW-Authenticate', 'Bearer realm="HostedAPI"')
  return c.body(JSON.stringify(body), status, {
    'Content-Type': 'application/problem+json; charset=utf-8',
  })
}

// An application refusal (or a data-layer one) as a problem, a renamed table as a 308; null for
// anything else.
export function refusalProblem(c: Context, error: unknown) {
  if (error instanceof MovedError)
    return c.redirect(movedLocation(c, error.username, error.slug), 308)
  const refusal = asAppError(error)
  if (refusal instanceof AppError) {
    const extras: Record<string, unknown> = { ...refusal.details }
    if (Object.keys(refusal.errors).length) extras.errors = fieldPointers(refusal.errors)
    return problem(c, REFUSAL_STATUS[refusal.kind], refusal.message, extras)
  }
  return null
}

// The same address with the table's slug replaced: where a renamed table's old API address points.
function movedLocation(c: Context, username: string, slug: string): string {
  const url = new URL(c.req.url)
  const segments = url.pathname.split('/')
  // /api/v1/{username}/tables/{table}/…
  segments[3] = encodeURIComponent(username)
  segments[5] = encodeURIComponent(slug)
  return `${segments.join('/')}${url.search}`
}
