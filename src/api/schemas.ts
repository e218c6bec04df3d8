// The API's request and response schemas (valibot): they validate requests and generate the OpenAPI document.
import * as v from 'valibot'
import { SCOPES } from '../application/actor.js'
import { COLUMN_TYPES } from '../datasource/column-types.js'
import { FILTER_OPERATORS } from '../datasource/filters.js'

// An object whose unknown fields are refused by name, with messages a caller can act on.
const strict = <E extends v.ObjectEntries>(entries: E) =>
  v.strictObject(entries, (issue) =>
    issue.expected === 'never' ? 'Unknown field' : 'Must be a JSON object',
  )

// Text fields refuse NUL and lone surrogates, which Postgres text cannot hold.
const text = (message: string) =>
  v.pipe(
    v.string(message),
    v.check(
      (value) => !value.includes('\0') && value.isWellFormed(),
      'Must not contain NUL or invalid Unicode',
    ),
  )

const name = (what: string) =>
  v.pipe(
    text(`${what} must be a string`),
    v.trim(),
    v.nonEmpty(`${what} must not be blank`),
    v.maxLength(100, `${what} must be at most 100 characters`),
  )
const description = v.pipe(
  text('A description must be a string'),
  v.trim(),
  v.maxLength(2000, 'A description must be at most 2,000 characters'),
)
const visibility = v.picklist(['public', 'private'], 'Must be "public" or "private"')
const columnType = v.pipe(
  v.picklist(COLUMN_TYPES, `Must be one of ${COLUMN_TYPES.join(', ')}`),
  v.description('The column type; see the README for what each holds.'),
)
// A default is given as the column's values are: a string, number or boolean, or JSON for JSON columns.
const defaultValue = v.pipe(
  v.nullable(v.unknown()),
  v.description('A value of the column’s type given to new rows that leave it out (null: none).'),
)
const choices = v.pipe(
  v.nullable(v.pipe(v.array(text('Each choice must be a string')), v.maxLength(50))),
  v.description('The allowed values of a choice column.'),
)

const linkDisplayInput = v.pipe(
  v.nullable(v.pipe(v.string('Must be a column slug of the linked table'), v.maxLength(200))),
  v.description(
    'The slug of the linked table’s column that stands for a linked row (null or left out: its first text column).',
  ),
)

const linkInput = v.pipe(
  v.nullable(
    strict({
      table: v.pipe(
        v.string('Must be the slug of one of your tables'),
        v.description('The slug of the table to link to (one of the same owner’s).'),
      ),
      display: v.optional(linkDisplayInput),
      on_delete: v.pipe(
        v.picklist(['clear', 'refuse'], 'Must be clear or refuse'),
        v.description(
          'What deleting a linked row does: `clear` empties the links to it; `refuse` refuses the delete (409), naming the rows that link to it.',
        ),
      ),
      many: v.pipe(
        v.optional(v.boolean('Must be true or false'), false),
        v.description(
          'Several links per row (kept in a junction table; written as an array of ids), or one (the default).',
        ),
      ),
    }),
  ),
  v.description('For a `link` column: the table it links to.'),
)

export const ColumnInputSchema = v.pipe(
  strict({
    name: name('A column name'),
    type: columnType,
    required: v.optional(v.boolean('Must be true or false'), false),
    unique: v.optional(v.boolean('Must be true or false'), false),
    default: v.optional(defaultValue, null),
    choices: v.optional(choices, null),
    link: v.optional(linkInput, null),
  }),
  v.metadata({ ref: 'ColumnInput' }),
)

export const ColumnPatchSchema = v.pipe(
  strict({
    name: v.optional(name('A column name')),
    type: v.optional(columnType),
    required: v.optional(v.boolean('Must be true or false')),
    unique: v.optional(v.boolean('Must be true or false')),
    default: v.optional(defaultValue),
    choices: v.optional(choices),
    link_display: v.optional(linkDisplayInput),
  }),
  v.metadata({ ref: 'ColumnPatch' }),
)

export const TableInputSchema = v.pipe(
  strict({
    name: name('A table name'),
    description: v.optional(description, ''),
    visibility: v.optional(visibility, 'public'),
    columns: v.optional(
      v.pipe(v.array(ColumnInputSchema), v.maxLength(200, 'A table can have at most 200 columns')),
      [],
    ),
  }),
  v.metadata({ ref: 'TableInput' }),
)

export const TablePatchSchema = v.pipe(
  strict({
    name: v.optional(name('A table name')),
    description: v.optional(description),
    visibility: v.optional(visibility),
  }),
  v.metadata({ ref: 'TablePatch' }),
)

export const MAX_LIMIT = 1000
export const DEFAULT_LIMIT = 100

export const RowsQuerySchema = v.object({
  search: v.optional(
    v.pipe(
      v.string(),
      v.description('Case-insensitive substring over the text columns and links’ display values.'),
    ),
  ),
  order: v.optional(
    v.pipe(v.string(), v.description('A column slug, ascending; `-slug` descending.')),
  ),
  limit: v.optional(
    v.pipe(
      v.string(),
      v.regex(/^\d{1,4}$/, `Must be a whole number from 1 to ${MAX_LIMIT}`),
      v.transform(Number),
      v.minValue(1, `Must be a whole number from 1 to ${MAX_LIMIT}`),
      v.maxValue(MAX_LIMIT, `Must be a whole number from 1 to ${MAX_LIMIT}`),
    ),
  ),
  after: v.optional(
    v.pipe(v.string(), v.description('The cursor from the previous page’s `next` link.')),
  ),
  _facet: v.optional(
    v.pipe(
      v.union([v.string(), v.array(v.string())]),
      v.description(
        'Columns to facet among the matching rows (repeated, or a comma list; at most 10): ' +
          'their commonest values with counts, in `facets`.',
      ),
    ),
  ),
})

const ColumnSchema = v.pipe(
  v.object({
    name: v.string(),
    slug: v.string(),
    type: v.picklist(COLUMN_TYPES),
    position: v.number(),
    required: v.boolean(),
    unique: v.boolean(),
    default: v.nullable(v.string()),
    choices: v.nullable(v.array(v.string())),
    link: v.nullable(
      v.object({
        table: v.nullable(v.string()),
        on_delete: v.picklist(['clear', 'refuse']),
        many: v.boolean(),
        display: v.nullable(v.string()),
      }),
    ),
  }),
  v.metadata({ ref: 'Column' }),
)

const tableFields = {
  name: v.string(),
  slug: v.string(),
  owner: v.string(),
  description: v.string(),
  visibility,
  row_count: v.number(),
  created_at: v.pipe(v.string(), v.isoTimestamp()),
  updated_at: v.pipe(v.string(), v.isoTimestamp()),
  url: v.pipe(v.string(), v.url()),
  api_url: v.pipe(v.string(), v.url()),
}

export const TableSchema = v.pipe(v.object(tableFields), v.metadata({ ref: 'Table' }))
export const TableSchemaSchema = v.pipe(
  v.object({ ...tableFields, columns: v.array(ColumnSchema) }),
  v.metadata({ ref: 'TableWithColumns' }),
)
export const TableListSchema = v.object({ tables: v.array(TableSchema) })

// Row values by column slug; the per-table document lists the table's own columns here.
export const RowValuesSchema = v.pipe(
  v.record(v.string(), v.unknown()),
  v.metadata({ ref: 'RowValues' }),
)

export const RowSchema = v.pipe(
  v.object({
    id: v.number(),
    version: v.number(),
    url: v.pipe(v.string(), v.url()),
    api_url: v.pipe(v.string(), v.url()),
    values: RowValuesSchema,
    truncated: v.optional(
      v.pipe(
        v.array(v.string()),
        v.description('In lists: the slugs of values cut short; read the row for them whole.'),
      ),
    ),
  }),
  v.metadata({ ref: 'Row' }),
)

// A filter as applied (see the filter parameters of listRows).
export const FilterSchema = v.object({
  column: v.string(),
  operator: v.picklist(FILTER_OPERATORS),
  value: v.nullable(v.string()),
})

// A facet asked for with `_facet`: the commonest values among the matching rows, with counts.
export const FacetSchema = v.object({
  column: v.string(),
  by: v.pipe(v.picklist(['value', 'year']), v.description('Dates and date-times by year')),
  status: v.pipe(
    v.picklist(['exact', 'approximate', 'unavailable']),
    v.description(
      'Counted; counted in a sample and scaled, past the time budget; or not even a sample fitted it',
    ),
  ),
  more: v.pipe(v.boolean(), v.description('More distinct values than are listed')),
  values: v.array(
    v.object({
      value: v.pipe(
        v.nullable(v.string()),
        v.description('As text (the year, by year); null: none'),
      ),
      count: v.number(),
    }),
  ),
})

export const RowListSchema = v.object({
  rows: v.array(RowSchema),
  total: v.number(),
  total_is_estimate: v.boolean(),
  filters: v.array(FilterSchema),
  facets: v.array(FacetSchema),
  next: v.nullable(v.pipe(v.string(), v.url())),
})

export const RowsCreatedSchema = v.object({ rows: v.array(RowSchema) })

// A row to add (values by column slug), or up to 1,000 of them; the per-table document lists the
// table's own columns and their types.
export const RowInputSchema = v.union([
  RowValuesSchema,
  v.pipe(v.array(RowValuesSchema), v.maxLength(1000)),
])
export const RowPatchSchema = RowValuesSchema
export const CsvAppendedSchema = v.object({ imported: v.number() })

// A File or Image cell as rows give it: never the storage keys, always our own addresses.
export const FileSchema = v.pipe(
  v.object({
    name: v.string(),
    type: v.pipe(v.string(), v.description('Sniffed from the bytes, never taken from the upload')),
    size: v.pipe(v.number(), v.description('In bytes')),
    width: v.optional(v.number()),
    height: v.optional(v.number()),
    url: v.pipe(v.string(), v.url()),
    thumbnail_url: v.nullable(v.pipe(v.string(), v.url())),
  }),
  v.metadata({ ref: 'File' }),
)

export const UserSchema = v.object({
  username: v.string(),
  name: v.nullable(v.string()),
  avatar_url: v.nullable(v.string()),
  via: v.picklist(['session', 'token']),
  scopes: v.array(v.picklist(SCOPES)),
  token: v.nullable(
    v.object({
      id: v.number(),
      name: v.string(),
      expires_at: v.nullable(v.string()),
      tables: v.nullable(v.array(v.string())),
    }),
  ),
})

export const ProblemSchema = v.pipe(
  v.object({
    type: v.string(),
    title: v.string(),
    status: v.number(),
    detail: v.string(),
    errors: v.optional(v.array(v.object({ pointer: v.string(), detail: v.string() }))),
  }),
  v.metadata({ ref: 'Problem' }),
)
