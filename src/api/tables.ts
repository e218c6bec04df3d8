// The API's tables and columns: list, create (with columns), read the schema, change, delete.
import { Hono } from 'hono'
import type * as v from 'valibot'
import { addColumn, changeColumn, dropColumn } from '../application/columns.js'
import { InvalidError } from '../application/errors.js'
import { schemaRepresentation, tableRepresentation } from '../application/representations.js'
import { changeTable, createTable, deleteTable, listUserTables } from '../application/tables.js'
import { type ColumnType, parseTypedValue } from '../datasource/column-types.js'
import type { ColumnSpec } from '../datasource/types.js'
import { apiTableUrl } from '../lib/paths.js'
import type { AppEnv } from '../web/env.js'
import { readBody } from './body.js'
import { absoluteFor, columnFor, dbOf, tableFor } from './context.js'
import { describe } from './describe.js'
import {
  ColumnInputSchema,
  ColumnPatchSchema,
  TableInputSchema,
  TableListSchema,
  TablePatchSchema,
  TableSchemaSchema,
} from './schemas.js'

export const tableApi = new Hono<AppEnv>()

const TABLES = ['Tables']
const COLUMNS = ['Columns']

// A default given as a typed value (as the column's values are), as the text the type stores.
function defaultText(
  type: ColumnType,
  value: unknown,
  choices: readonly string[] | null,
  field: string,
): string | null {
  const parsed = parseTypedValue(type, value, choices)
  if (!parsed.ok) throw new InvalidError(parsed.message, { errors: { [field]: parsed.message } })
  return parsed.value
}

function columnSpec(input: v.InferOutput<typeof ColumnInputSchema>, field = 'default'): ColumnSpec {
  return {
    name: input.name,
    type: input.type,
    required: input.required,
    unique: input.unique,
    defaultValue: defaultText(input.type, input.default, input.choices, field),
    choices: input.choices,
    link: input.link
      ? {
          tableSlug: input.link.table,
          onDelete: input.link.on_delete,
          many: input.link.many,
          displaySlug: input.link.display ?? null,
        }
      : null,
  }
}

tableApi.get(
  '/:username/tables',
  describe({
    operationId: 'listTables',
    summary: 'List a user’s tables',
    description: 'Every public table of the user; their own private ones too for the owner.',
    tags: TABLES,
    ok: [200, TableListSchema],
    problems: [401, 404],
  }),
  async (c) => {
    const { tables } = await listUserTables(dbOf(c), c.get('actor'), c.req.param('username'))
    return c.json({ tables: tables.map((table) => tableRepresentation(table, absoluteFor(c))) })
  },
)

tableApi.post(
  '/:username/tables',
  describe({
    operationId: 'createTable',
    summary: 'Create a table, with its columns',
    tags: TABLES,
    body: TableInputSchema,
    ok: [201, TableSchemaSchema, 'The new table; `Location` is its address.'],
    problems: [400, 401, 403, 409, 413, 415],
  }),
  async (c) => {
    const input = await readBody(c, TableInputSchema)
    const table = await createTable(
      dbOf(c),
      c.get('actor'),
      c.req.param('username'),
      {
        name: input.name,
        description: input.description,
        isPublic: input.visibility === 'public',
        columns: input.columns.map((column, index) =>
          columnSpec(column, `columns.${index}.default`),
        ),
      },
      c.get('config').maxTablesPerUser,
    )
    c.header('Location', absoluteFor(c)(apiTableUrl(table.owner.username, table.slug)))
    return c.json(schemaRepresentation(table, absoluteFor(c)), 201)
  },
)

tableApi.get(
  '/:username/tables/:table',
  describe({
    operationId: 'getTable',
    summary: 'Read a table’s schema',
    description: 'Its name, visibility, row count, and columns with their types and constraints.',
    tags: TABLES,
    ok: [200, TableSchemaSchema],
    problems: [401, 404],
  }),
  async (c) => c.json(schemaRepresentation(await tableFor(c, 'read'), absoluteFor(c))),
)

tableApi.patch(
  '/:username/tables/:table',
  describe({
    operationId: 'updateTable',
    summary: 'Rename a table, or change its description or visibility',
    description: 'A rename changes the address; the old one answers with a redirect.',
    tags: TABLES,
    body: TablePatchSchema,
    ok: [200, TableSchemaSchema],
    problems: [400, 401, 403, 404, 409, 413, 415],
  }),
  async (c) => {
    const table = await tableFor(c, 'schema')
    const input = await readBody(c, TablePatchSchema)
    const changed = await changeTable(dbOf(c), c.get('actor'), table, {
      name: input.name,
      description: input.description,
      isPublic: input.visibility === undefined ? undefined : input.visibility === 'public',
    })
    return c.json(schemaRepresentation(changed, absoluteFor(c)))
  },
)

tableApi.delete(
  '/:username/tables/:table',
  describe({
    operationId: 'deleteTable',
    summary: 'Delete a table and all its rows',
    tags: TABLES,
    ok: [204, null, 'Deleted.'],
    problems: [401, 403, 404],
  }),
  async (c) => {
    await deleteTable(dbOf(c), c.get('actor'), await tableFor(c, 'schema'))
    return c.body(null, 204)
  },
)

tableApi.post(
  '/:username/tables/:table/columns',
  describe({
    operationId: 'addColumn',
    summary: 'Add a column',
    description:
      'Existing rows get the default (a required column on a table with rows needs one).',
    tags: COLUMNS,
    body: ColumnInputSchema,
    ok: [201, TableSchemaSchema, 'The table with its new column.'],
    problems: [400, 401, 403, 404, 409, 413, 415],
  }),
  async (c) => {
    const table = await tableFor(c, 'schema')
    const input = await readBody(c, ColumnInputSchema)
    const changed = await addColumn(dbOf(c), c.get('actor'), table, columnSpec(input))
    return c.json(schemaRepresentation(changed, absoluteFor(c)), 201)
  },
)

tableApi.patch(
  '/:username/tables/:table/columns/:column',
  describe({
    operationId: 'updateColumn',
    summary: 'Rename, retype or constrain a column',
    description:
      'A new type converts every value or none: a refusal (409) counts the values that would not ' +
      'convert and shows samples. New constraints are checked against every row.',
    tags: COLUMNS,
    body: ColumnPatchSchema,
    ok: [200, TableSchemaSchema, 'The table with the changed column.'],
    problems: [400, 401, 403, 404, 409, 413, 415],
  }),
  async (c) => {
    const { table, column } = await columnFor(c, 'schema')
    const input = await readBody(c, ColumnPatchSchema)
    const type = input.type ?? column.type
    const changed = await changeColumn(dbOf(c), c.get('actor'), table, column, {
      name: input.name,
      type: input.type,
      required: input.required,
      unique: input.unique,
      defaultValue:
        input.default === undefined
          ? undefined
          : defaultText(type, input.default, input.choices ?? column.choices, 'default'),
      choices: input.choices,
      linkDisplay: input.link_display,
    })
    return c.json(schemaRepresentation(changed, absoluteFor(c)))
  },
)

tableApi.delete(
  '/:username/tables/:table/columns/:column',
  describe({
    operationId: 'dropColumn',
    summary: 'Drop a column and its values',
    tags: COLUMNS,
    ok: [204, null, 'Dropped.'],
    problems: [401, 403, 404],
  }),
  async (c) => {
    const { table, column } = await columnFor(c, 'schema')
    await dropColumn(dbOf(c), c.get('actor'), table, column)
    return c.body(null, 204)
  },
)
