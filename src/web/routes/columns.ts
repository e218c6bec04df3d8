// The columns page: add, rename, retype, reorder and delete a table's columns.
import { type Context, Hono } from 'hono'
import {
  addColumn,
  changeColumn,
  displayChoices,
  dropColumn,
  findColumn,
  linkTargets,
  moveColumn,
} from '../../application/columns.js'
import { COLUMN_TYPE_LABELS } from '../../datasource/column-types.js'
import { MAX_COLUMNS } from '../../datasource/tables.js'
import type { ColumnInfo, TableInfo } from '../../datasource/types.js'
import type { AppEnv } from '../env.js'
import { forForm } from '../form-refusals.js'
import { type FieldErrors, readForm, validateForm } from '../forms.js'
import { loadTable } from '../load-table.js'
import { renderPage } from '../render.js'
import { tableUrl } from '../urls.js'
import {
  blankColumnForm,
  type ColumnForm,
  ColumnFormSchema,
  columnForm,
  columnSpec,
  formFromFields,
  typeOptions,
} from '../views/column-form.js'
import { tableNav } from '../views/table-nav.js'

export const columnRoutes = new Hono<AppEnv>()

const columnsUrl = (table: TableInfo) => `${tableUrl(table.owner.username, table.slug)}/columns`

async function renderColumns(
  c: Context<AppEnv>,
  table: TableInfo,
  form: ColumnForm,
  errors: FieldErrors,
  status: 200 | 400 = 200,
) {
  const base = columnsUrl(table)
  const linkTables = await linkTargets(c.get('database').db, c.get('actor'), table)
  return renderPage(
    c,
    'columns',
    {
      title: `Columns · ${table.name}`,
      nav: tableNav(table, 'columns'),
      columns: table.columns.map((column, index) => ({
        name: column.name,
        slug: column.slug,
        type: COLUMN_TYPE_LABELS[column.type],
        flags: [
          column.required && 'required',
          column.unique && 'unique',
          column.defaultValue !== null && `default ${column.defaultValue}`,
          column.link?.many && 'several links',
        ].filter(Boolean),
        editUrl: `${base}/${column.slug}`,
        moveUrl: `${base}/${column.slug}/move`,
        deleteUrl: `${base}/${column.slug}/delete`,
        first: index === 0,
        last: index === table.columns.length - 1,
      })),
      atLimit: table.columns.length >= MAX_COLUMNS,
      maxColumns: MAX_COLUMNS,
      addUrl: base,
      form,
      errors,
      typeOptions,
      linkTables,
    },
    status,
  )
}

columnRoutes.get('/:username/tables/:table/columns', async (c) => {
  const table = await loadTable(c, 'schema')
  return renderColumns(c, table, blankColumnForm, {})
})

columnRoutes.post('/:username/tables/:table/columns', async (c) => {
  const table = await loadTable(c, 'schema')
  const { fields } = await readForm(c)
  const result = validateForm(ColumnFormSchema, fields)
  if (!result.ok) return renderColumns(c, table, formFromFields(fields), result.errors, 400)
  const added = await forForm(() =>
    addColumn(c.get('database').db, c.get('actor'), table, columnSpec(result.value)),
  )
  if (!added.ok) return renderColumns(c, table, formFromFields(fields), added.errors, 400)
  return c.redirect(columnsUrl(table), 303)
})

async function renderColumnEdit(
  c: Context<AppEnv>,
  table: TableInfo,
  column: ColumnInfo,
  form: ColumnForm,
  errors: FieldErrors,
  status: 200 | 400 = 200,
) {
  const slug = column.slug
  const displayColumns = column.link
    ? await displayChoices(c.get('database').db, c.get('actor'), table, column)
    : null
  return renderPage(
    c,
    'column-edit',
    {
      title: `Edit column · ${table.name}`,
      nav: tableNav(table, 'columns'),
      form,
      errors,
      typeOptions,
      displayColumns,
      action: `${columnsUrl(table)}/${slug}`,
      backUrl: columnsUrl(table),
    },
    status,
  )
}

// The table, opened to change its schema, and the column the address names.
async function loadColumn(c: Context<AppEnv>) {
  const table = await loadTable(c, 'schema')
  return { table, column: findColumn(table, c.req.param('column') ?? '') }
}

columnRoutes.get('/:username/tables/:table/columns/:column', async (c) => {
  const { table, column } = await loadColumn(c)
  return renderColumnEdit(c, table, column, columnForm(column), {})
})

columnRoutes.post('/:username/tables/:table/columns/:column', async (c) => {
  const { table, column } = await loadColumn(c)
  const { fields } = await readForm(c)
  const result = validateForm(ColumnFormSchema, fields)
  const form = formFromFields(fields)
  if (!result.ok) return renderColumnEdit(c, table, column, form, result.errors, 400)
  const changed = await forForm(() =>
    changeColumn(c.get('database').db, c.get('actor'), table, column, columnSpec(result.value)),
  )
  if (!changed.ok) return renderColumnEdit(c, table, column, form, changed.errors, 400)
  return c.redirect(columnsUrl(table), 303)
})

columnRoutes.post('/:username/tables/:table/columns/:column/move', async (c) => {
  const { table, column } = await loadColumn(c)
  const { fields } = await readForm(c)
  const direction = fields.direction === 'up' ? 'up' : 'down'
  await moveColumn(c.get('database').db, c.get('actor'), table, column, direction)
  return c.redirect(columnsUrl(table), 303)
})

columnRoutes.post('/:username/tables/:table/columns/:column/delete', async (c) => {
  const { table, column } = await loadColumn(c)
  await dropColumn(c.get('database').db, c.get('actor'), table, column)
  return c.redirect(columnsUrl(table), 303)
})
