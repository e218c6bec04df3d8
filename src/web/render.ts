// Eta templates from templates/: one layout, one template per page, `_`-prefixed partials.
import { Eta } from 'eta'
import type { Context } from 'hono'
import type { ContentfulStatusCode } from 'hono/utils/http-status'
import type { Config } from '../config.js'
import { stringifyExact } from '../datasource/raw-json.js'
import { appPath } from '../paths.js'

export function createRenderer(options: { cache: boolean }) {
  return new Eta({ views: appPath('templates'), autoEscape: true, cache: options.cache })
}

export type Renderer = ReturnType<typeof createRenderer>

// Every page knows who is looking and where it is; the route adds its own view model.
export interface PageContext {
  title: string
  viewer: { username: string; name: string | null; avatarUrl: string | null } | null
  csrfToken: string
  path: string
  // Shown as a banner on every page of a Heroku review app.
  reviewApp: { prNumber: string; branch: string | null; mockSignIn: boolean } | null
}

export function renderPage<T extends object>(
  c: Context,
  template: string,
  model: T & { title: string },
  status: ContentfulStatusCode = 200,
) {
  const page: PageContext & T = {
    viewer: c.get('viewer') ?? null,
    csrfToken: c.get('csrfToken') ?? '',
    path: new URL(c.req.url).pathname,
    reviewApp: reviewAppBanner(c.get('config')),
    ...model,
  }
  return c.html(c.get('renderer').render(template, page), status)
}

function reviewAppBanner(config: Config | undefined): PageContext['reviewApp'] {
  if (!config?.reviewApp) return null
  return { ...config.reviewApp, mockSignIn: config.mockGithub }
}

// JSON by `?format=json` or an Accept header that prefers it.
export function wantsJson(c: Context): boolean {
  if (c.req.query('format') === 'json') return true
  const accept = c.req.header('accept') ?? ''
  return accept.includes('application/json') && !accept.includes('text/html')
}

// JSON written with stringifyExact, so big numbers and JSON values keep every digit.
export const exactJson = (c: Context, value: unknown, status: ContentfulStatusCode = 200) =>
  c.body(stringifyExact(value), status, { 'Content-Type': 'application/json; charset=utf-8' })
