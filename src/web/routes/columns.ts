// The columns page: add, rename, retype, reorder and delete a table's columns.
import { type Context, Hono } from 'hono'
import { COLUMN_TYPE_LABELS } from '../../datasource/column-types.js'
import {
  addColumn,
  ColumnChangeError,
  deleteColumn,
  moveColumn,
  updateColumn,
} from '../../datasource/columns.js'
import { MAX_COLUMNS } from '../../datasource/tables.js'
import type { TableInfo } from '../../datasource/types.js'
import type { AppEnv } from '../env.js'
import { type FieldErrors, readForm, validateForm } from '../forms.js'
import { loadTable, notFoundError } from '../load-table.js'
import { requireOwner } from '../ownership.js'
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

function renderColumns(
  c: Context<AppEnv>,
  table: TableInfo,
  form: ColumnForm,
  errors: FieldErrors,
  status: 200 | 400 = 200,
) {
  const base = columnsUrl(table)
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
    },
    status,
  )
}

function findColumn(table: TableInfo, slug: string) {
  const column = table.columns.find((col) => col.slug === slug)
  if (!column) throw notFoundError('This column')
  return column
}

columnRoutes.get('/:username/tables/:table/columns', async (c) => {
  const table = await loadTable(c)
  requireOwner(c, table)
  return renderColumns(c, table, blankColumnForm, {})
})

columnRoutes.post('/:username/tables/:table/columns', async (c) => {
  const table = await loadTable(c)
  requireOwner(c, table)
  const { fields } = await readForm(c)
  const result = validateForm(ColumnFormSchema, fields)
  if (!result.ok) return renderColumns(c, table, formFromFields(fields), result.errors, 400)
  try {
    await addColumn(c.get('database').db, table, columnSpec(result.value))
  } catch (error) {
    if (error instanceof ColumnChangeError) {
      return renderColumns(
        c,
        table,
        formFromFields(fields),
        { [error.field ?? 'form']: error.message },
        400,
      )
    }
    throw error
  }
  return c.redirect(columnsUrl(table), 303)
})

function renderColumnEdit(
  c: Context<AppEnv>,
  table: TableInfo,
  slug: string,
  form: ColumnForm,
  errors: FieldErrors,
  status: 200 | 400 = 200,
) {
  return renderPage(
    c,
    'column-edit',
    {
      title: `Edit column · ${table.name}`,
      nav: tableNav(table, 'columns'),
      form,
      errors,
      typeOptions,
      action: `${columnsUrl(table)}/${slug}`,
      backUrl: columnsUrl(table),
    },
    status,
  )
}

columnRoutes.get('/:username/tables/:table/columns/:column', async (c) => {
  const table = await loadTable(c)
  requireOwner(c, table)
  const column = findColumn(table, c.req.param('column'))
  return renderColumnEdit(c, table, column.slug, columnForm(column), {})
})

columnRoutes.post('/:username/tables/:table/columns/:column', async (c) => {
  const table = await loadTable(c)
  requireOwner(c, table)
  const column = findColumn(table, c.req.param('column'))
  const { fields } = await readForm(c)
  const result = validateForm(ColumnFormSchema, fields)
  if (!result.ok)
    return renderColumnEdit(c, table, column.slug, formFromFields(fields), result.errors, 400)
  try {
    await updateColumn(c.get('database').db, table, column.id, columnSpec(result.value))
  } catch (error) {
    if (error instanceof ColumnChangeError) {
      return renderColumnEdit(
        c,
        table,
        column.slug,
        formFromFields(fields),
        { [error.field ?? 'form']: error.message },
        400,
      )
    }
    throw error
  }
  return c.redirect(columnsUrl(table), 303)
})

columnRoutes.post('/:username/tables/:table/columns/:column/move', async (c) => {
  const table = await loadTable(c)
  requireOwner(c, table)
  const column = findColumn(table, c.req.param('column'))
  const { fields } = await readForm(c)
  await moveColumn(
    c.get('database').db,
    table,
    column.id,
    fields.direction === 'up' ? 'up' : 'down',
  )
  return c.redirect(columnsUrl(table), 303)
})

columnRoutes.post('/:username/tables/:table/columns/:column/delete', async (c) => {
  const table = await loadTable(c)
  requireOwner(c, table)
  const column = findColumn(table, c.req.param('column'))
  await deleteColumn(c.get('database').db, table, column.id)
  return c.redirect(columnsUrl(table), 303)
})
