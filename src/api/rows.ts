// The API's rows: pages by cursor, one row with its version as ETag, writes (conditional with If-Match).
import { Hono } from 'hono'
import * as v from 'valibot'
import { InvalidError } from '../application/errors.js'
import { apiFacetColumns, readApiFacets } from '../application/facets.js'
import { appendCsv } from '../application/imports.js'
import { rowListRepresentation, rowRepresentation } from '../application/representations.js'
import { changeRow, createRows, listRowsByCursor, readRow, removeRow } from '../application/rows.js'
import { filterParams } from '../datasource/filters.js'
import { MAX_BULK_INSERT } from '../datasource/row-writes.js'
import { apiRowsUrl, apiRowUrl } from '../lib/paths.js'
import type { AppEnv } from '../web/env.js'
import { exactJson } from '../web/render.js'
import { isJsonRequest, issueErrors, readJson } from './body.js'
import { type ApiContext, absoluteFor, dbOf, tableFor } from './context.js'
import { describe } from './describe.js'
import { UnsupportedMediaTypeError } from './errors.js'
import { FILTER_HELP, FILTER_PARAMETER } from './filter-docs.js'
import {
  CsvAppendedSchema,
  DEFAULT_LIMIT,
  RowInputSchema,
  RowListSchema,
  RowPatchSchema,
  RowSchema,
  RowsCreatedSchema,
  RowsQuerySchema,
} from './schemas.js'

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

// Filter parameters as given (`votes__gt=1`) or as a deepObject (`filters[votes__gt]=1`, which
// openapi-fetch sends for an object parameter).
export function filterQuery(query: Record<string, string>): Record<string, string> {
  const filters: Record<string, string> = {}
  for (const [key, value] of Object.entries(query)) {
    filters[/^filters\[(.+)\]$/.exec(key)?.[1] ?? key] = value
  }
  return filters
}

const rowId = (c: ApiContext) => Number(c.req.param('row'))

rowApi.get(
  '/:username/tables/:table/rows',
  describe({
    operationId: 'listRows',
    summary: 'List rows, a page at a time',
    description:
      'Follow `next` (also in the `Link` header) for the following page; it carries a cursor, so ' +
      'deep pages are as fast as the first. `total` is exact, or the planner’s estimate for a ' +
      'search or filter with many matches (`total_is_estimate`).\n\n' +
      FILTER_HELP,
    tags: ROWS,
    query: RowsQuerySchema,
    extraParameters: [FILTER_PARAMETER],
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
    const wanted = apiFacetColumns(table, c.req.queries('_facet') ?? [])
    const page = await listRowsByCursor(dbOf(c), c.get('actor'), table, {
      ...parsed.output,
      filters: filterQuery(c.req.query()),
      limit,
    })
    const facets = await readApiFacets(
      dbOf(c),
      c.get('actor'),
      table,
      wanted,
      { search: page.search, filters: page.filters },
      page.total,
    )
    const absolute = absoluteFor(c)
    const next =
      page.next &&
      absolute(
        apiRowsUrl(table.owner.username, table.slug, {
          ...filterParams(page.filters),
          search: page.search,
          order: page.order,
          limit: parsed.output.limit,
          after: page.next,
          _facet: wanted.map((column) => column.slug).join(',') || undefined,
        }),
      )
    if (next) c.header('Link', `<${next}>; rel="next"`)
    return exactJson(c, rowListRepresentation(table, { ...page, next, facets }, absolute))
  },
)

rowApi.get(
  ROW_PATH,
  describe({
    operationId: 'getRow',
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
    return exactJson(c, rowRepresentation(table, row, absoluteFor(c)))
  },
)

rowApi.delete(
  ROW_PATH,
  describe({
    operationId: 'deleteRow',
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

const isObject = (value: unknown) =>
  typeof value === 'object' && value !== null && !Array.isArray(value)

rowApi.post(
  '/:username/tables/:table/rows',
  describe({
    operationId: 'createRows',
    summary: 'Add rows: one, up to 1,000, or a CSV file',
    description:
      'A JSON object keyed by column slug adds one row (201, the row, its `Location` and `ETag`); ' +
      'an array of up to 1,000 adds them all or none (201, `rows`); errors point at the row and ' +
      'field (`#/3/votes`). A `text/csv` body (its header names the columns) is streamed into the ' +
      'table through COPY, all rows or none (201, `imported`).',
    tags: ROWS,
    body: RowInputSchema,
    ok: [201, RowsCreatedSchema, 'The rows added (or, for one object, the row; for CSV, a count).'],
    problems: [400, 401, 403, 404, 413, 415],
  }),
  async (c) => {
    const table = await tableFor(c, 'write')
    const actor = c.get('actor')
    const absolute = absoluteFor(c)
    if (/^text\/csv\s*(?:;|$)/i.test(c.req.header('content-type') ?? '')) {
      const body = (c.req.raw.body ?? []) as unknown as AsyncIterable<Uint8Array>
      const imported = await appendCsv(c.get('database'), actor, table, body)
      return c.json(v.parse(CsvAppendedSchema, { imported }), 201)
    }
    if (!isJsonRequest(c)) {
      throw new UnsupportedMediaTypeError('Send rows as JSON (application/json) or CSV (text/csv).')
    }
    const body = await readJson(c)
    const many = Array.isArray(body)
    if (!many && !isObject(body)) {
      throw new InvalidError('Send a JSON object of column values, or an array of them.')
    }
    const inputs = many ? body : [body]
    if (inputs.length > MAX_BULK_INSERT) {
      throw new InvalidError(
        `At most ${MAX_BULK_INSERT.toLocaleString('en-GB')} rows at once; send more as CSV.`,
      )
    }
    const rows = await createRows(dbOf(c), actor, table, inputs, 'typed')
    if (many) {
      return exactJson(c, { rows: rows.map((row) => rowRepresentation(table, row, absolute)) }, 201)
    }
    const [row] = rows
    if (!row) throw new Error('An insert of one row returned none')
    c.header('Location', absolute(apiRowUrl(table.owner.username, table.slug, row.id)))
    c.header('ETag', etag(row.version))
    return exactJson(c, rowRepresentation(table, row, absolute), 201)
  },
)

rowApi.patch(
  ROW_PATH,
  describe({
    operationId: 'updateRow',
    summary: 'Change some of a row’s values',
    description:
      'Only the fields given change. With `If-Match` (the ETag you read), only if nobody changed ' +
      'the row since: else 412, and nothing changes.',
    tags: ROWS,
    body: RowPatchSchema,
    ok: [200, RowSchema],
    problems: [400, 401, 403, 404, 412, 413, 415],
  }),
  async (c) => {
    const table = await tableFor(c, 'write')
    const version = expectedVersion(c)
    const body = await readJson(c)
    if (!isObject(body)) throw new InvalidError('Send a JSON object of the values to change.')
    const row = await changeRow(dbOf(c), c.get('actor'), table, rowId(c), version, body, {
      input: 'typed',
      partial: true,
    })
    c.header('ETag', etag(row.version))
    return exactJson(c, rowRepresentation(table, row, absoluteFor(c)))
  },
)
