// The API's rows: pages by cursor, one row with its version as ETag, writes (conditional with If-Match).
import { Hono } from 'hono'
import * as v from 'valibot'
import { InvalidError } from '../application/errors.js'
import { rowListRepresentation, rowRepresentation } from '../application/representations.js'
import { listRowsByCursor, readRow, removeRow } from '../application/rows.js'
import { apiRowsUrl } from '../lib/paths.js'
import type { AppEnv } from '../web/env.js'
import { issueErrors } from './body.js'
import { type ApiContext, absoluteFor, dbOf, tableFor } from './context.js'
import { describe } from './describe.js'
import { DEFAULT_LIMIT, RowListSchema, RowSchema, RowsQuerySchema } from './schemas.js'

export const rowApi = new Hono<AppEnv>()

const ROWS = ['Rows']
const ROW_PATH = '/:username/tables/:table/rows/:row{[0-9]{1,15}}'

const etag = (version: number) => `"${version}"`

// `If-Match: "7"` (or W/"7") names the version a write expects; `*` or none: any version.
export function expectedVersion(c: ApiContext): number | null {
  const header = c.req.header('if-match')?.trim()
  if (!header || header === '*') return null
  const match = /^(?:W\/)?"(\d{1,15})"$/.exec(header)
  if (!match) {
    throw new InvalidError('If-Match must be the row’s ETag, such as "3".', {
      errors: { 'If-Match': 'Send the ETag of the row as you read it' },
    })
  }
  return Number(match[1])
}

const rowId = (c: ApiContext) => Number(c.req.param('row'))

rowApi.get(
  '/:username/tables/:table/rows',
  describe({
    summary: 'List rows, a page at a time',
    description:
      'Follow `next` (also in the `Link` header) for the following page; it carries a cursor, so ' +
      'deep pages are as fast as the first. `total` is exact, or the planner’s estimate for a ' +
      'search with many matches (`total_is_estimate`).',
    tags: ROWS,
    query: RowsQuerySchema,
    ok: [200, RowListSchema],
    problems: [400, 401, 404],
  }),
  async (c) => {
    const table = await tableFor(c, 'read')
    const parsed = v.safeParse(RowsQuerySchema, c.req.query())
    if (!parsed.success) {
      throw new InvalidError('The query has invalid values.', {
        errors: issueErrors(parsed.issues),
      })
    }
    const limit = parsed.output.limit ?? DEFAULT_LIMIT
    const page = await listRowsByCursor(dbOf(c), c.get('actor'), table, { ...parsed.output, limit })
    const absolute = absoluteFor(c)
    const next =
      page.next &&
      absolute(
        apiRowsUrl(table.owner.username, table.slug, {
          search: page.search,
          order: page.order,
          limit: parsed.output.limit,
          after: page.next,
        }),
      )
    if (next) c.header('Link', `<${next}>; rel="next"`)
    return c.json(rowListRepresentation(table, { ...page, next }, absolute))
  },
)

rowApi.get(
  ROW_PATH,
  describe({
    summary: 'Read one row',
    description: 'The `ETag` header is the row’s version; send it back as `If-Match` to write.',
    tags: ROWS,
    ok: [200, RowSchema],
    problems: [401, 404],
  }),
  async (c) => {
    const table = await tableFor(c, 'read')
    const row = await readRow(dbOf(c), c.get('actor'), table, rowId(c))
    c.header('ETag', etag(row.version))
    if (
      c.req
        .header('if-none-match')
        ?.split(',')
        .some((tag) => tag.trim() === etag(row.version))
    ) {
      return c.body(null, 304)
    }
    return c.json(rowRepresentation(table, row, absoluteFor(c)))
  },
)

rowApi.delete(
  ROW_PATH,
  describe({
    summary: 'Delete one row',
    description: 'With `If-Match`, only if the row is still at that version (412 otherwise).',
    tags: ROWS,
    ok: [204, null, 'Deleted.'],
    problems: [400, 401, 403, 404, 412],
  }),
  async (c) => {
    const table = await tableFor(c, 'write')
    await removeRow(dbOf(c), c.get('actor'), table, rowId(c), expectedVersion(c))
    return c.body(null, 204)
  },
)
