// `…/export.csv` and `…/export.json` in the API: the pages' streamed exports (search, filters,
// order and columns as on the table page), readable with a token when the table is private.
import { Hono } from 'hono'
import * as v from 'valibot'
import type { AppEnv } from '../web/env.js'
import { exportRoutes } from '../web/routes/export.js'
import { describe } from './describe.js'
import { FILTER_PARAMETER } from './filter-docs.js'

export const exportApi = new Hono<AppEnv>()

const ExportQuerySchema = v.object({
  search: v.optional(v.pipe(v.string(), v.description('As for rows.'))),
  order: v.optional(v.pipe(v.string(), v.description('As for rows.'))),
  _col: v.optional(
    v.pipe(
      v.string(),
      v.description(
        'The columns to write (slugs, a comma list); without it, the owner’s default set, or all.',
      ),
    ),
  ),
  _nocol: v.optional(
    v.pipe(v.string(), v.description('Columns to leave out (slugs, a comma list).')),
  ),
})

for (const format of ['csv', 'json'] as const) {
  exportApi.get(
    `/:username/tables/:table/export.${format}`,
    describe({
      operationId: format === 'csv' ? 'exportCsv' : 'exportJson',
      summary: `Export the whole table as ${format.toUpperCase()}`,
      description:
        format === 'csv'
          ? 'Streamed, in the given search, filters and order: a header of column names, then one line per ' +
            'row; NULL is an empty field and an empty string is `""`.'
          : 'Streamed, in the given search, filters and order: an array of objects, `id` first, numbers ' +
            'and JSON values with every digit.',
      tags: ['Rows'],
      query: ExportQuerySchema,
      // As on the table page, a bad filter is left out rather than refused.
      extraParameters: [FILTER_PARAMETER],
      ok: [
        200,
        null,
        `The file (${format === 'csv' ? 'text/csv' : 'application/json'}), as a download.`,
      ],
      problems: [401, 404],
    }),
  )
}
// The handler itself is the pages' own, reached after the descriptions above.
exportApi.route('/', exportRoutes)
