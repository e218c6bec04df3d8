// Writing rows: new, edit (with a check that nobody saved in between), delete, and bulk delete.
import { type Context, Hono } from 'hono'
import { ROW_ERROR } from '../../datasource/row-schema.js'
import { deleteRow, deleteRows, insertRow, updateRow } from '../../datasource/row-writes.js'
import { getRow } from '../../datasource/rows.js'
import type { Row, TableInfo } from '../../datasource/types.js'
import { safeRedirectPath } from '../../lib/redirect.js'
import type { AppEnv } from '../env.js'
import { readForm } from '../forms.js'
import { loadTable, notFoundError } from '../load-table.js'
import { requireOwner } from '../ownership.js'
import { renderPage } from '../render.js'
import { origin, rowUrl, tableUrl } from '../urls.js'
import { formValues, rowFormFields } from '../views/row-form.js'
import { tableNav } from '../views/table-nav.js'

export const rowEditRoutes = new Hono<AppEnv>()

interface RowFormPage {
  row: Row | null
  values: Record<string, string>
  errors: Record<string, string>
  conflict?: boolean
}

function renderRowForm(
  c: Context<AppEnv>,
  table: TableInfo,
  page: RowFormPage,
  status: 200 | 400 | 409 = 200,
) {
  const base = tableUrl(table.owner.username, table.slug)
  const nav = tableNav(table, null)
  if (page.row)
    nav.breadcrumbs.push({
      label: `Row ${page.row.id}`,
      url: rowUrl(table.owner.username, table.slug, page.row.id),
    })
  return renderPage(
    c,
    'row-form',
    {
      title: page.row ? `Edit row ${page.row.id} · ${table.name}` : `New row · ${table.name}`,
      nav,
      heading: page.row ? `Edit row ${page.row.id}` : 'New row',
      action: page.row
        ? `${rowUrl(table.owner.username, table.slug, page.row.id)}/edit`
        : `${base}/new`,
      cancelUrl: page.row ? rowUrl(table.owner.username, table.slug, page.row.id) : base,
      version: page.row?.version ?? null,
      conflict: page.conflict ?? false,
      hasErrors: Object.keys(page.errors).length > 0,
      // An error that belongs to no one field (a value too large for the database, say).
      rowError: page.errors[ROW_ERROR] ?? null,
      noColumns: table.columns.length === 0,
      columnsUrl: `${base}/columns`,
      fields: rowFormFields(table, page.values, page.errors),
    },
    status,
  )
}

async function loadRow(c: Context<AppEnv>, table: TableInfo): Promise<Row> {
  const row = await getRow(c.get('database').db, table, Number(c.req.param('row')))
  if (!row) throw notFoundError('This row')
  return row
}

rowEditRoutes.get('/:username/tables/:table/new', async (c) => {
  const table = await loadTable(c)
  requireOwner(c, table)
  return renderRowForm(c, table, { row: null, values: {}, errors: {} })
})

rowEditRoutes.post('/:username/tables/:table/new', async (c) => {
  const table = await loadTable(c)
  requireOwner(c, table)
  const { fields } = await readForm(c)
  const result = await insertRow(c.get('database').db, table, fields)
  if (!result.ok)
    return renderRowForm(c, table, { row: null, values: fields, errors: result.errors }, 400)
  // "Save and add another" comes back to an empty form.
  if (fields._another)
    return c.redirect(
      `${tableUrl(table.owner.username, table.slug)}/new?added=${result.row.id}`,
      303,
    )
  return c.redirect(rowUrl(table.owner.username, table.slug, result.row.id), 303)
})

rowEditRoutes.get('/:username/tables/:table/:row{[0-9]+}/edit', async (c) => {
  const table = await loadTable(c)
  requireOwner(c, table)
  const row = await loadRow(c, table)
  return renderRowForm(c, table, { row, values: formValues(table, row), errors: {} })
})

rowEditRoutes.post('/:username/tables/:table/:row{[0-9]+}/edit', async (c) => {
  const table = await loadTable(c)
  requireOwner(c, table)
  const row = await loadRow(c, table)
  const { fields } = await readForm(c)
  const result = await updateRow(
    c.get('database').db,
    table,
    row.id,
    Number(fields._version),
    fields,
  )
  if (result === null) throw notFoundError('This row')
  if (result.ok) return c.redirect(rowUrl(table.owner.username, table.slug, row.id), 303)
  if ('conflict' in result) {
    // Someone saved first: show their values, never overwrite them silently.
    return renderRowForm(
      c,
      table,
      {
        row: result.current,
        values: formValues(table, result.current),
        errors: {},
        conflict: true,
      },
      409,
    )
  }
  return renderRowForm(c, table, { row, values: fields, errors: result.errors }, 400)
})

rowEditRoutes.get('/:username/tables/:table/:row{[0-9]+}/delete', async (c) => {
  const table = await loadTable(c)
  requireOwner(c, table)
  const row = await loadRow(c, table)
  const nav = tableNav(table, null)
  nav.breadcrumbs.push({
    label: `Row ${row.id}`,
    url: rowUrl(table.owner.username, table.slug, row.id),
  })
  return renderPage(c, 'row-delete', {
    title: `Delete row ${row.id} · ${table.name}`,
    nav,
    row: {
      id: row.id,
      version: row.version,
      url: rowUrl(table.owner.username, table.slug, row.id),
    },
    fields: table.columns.map((column, index) => ({
      name: column.name,
      text: row.cells[index] ?? '',
    })),
  })
})

rowEditRoutes.post('/:username/tables/:table/:row{[0-9]+}/delete', async (c) => {
  const table = await loadTable(c)
  requireOwner(c, table)
  const row = await loadRow(c, table)
  await deleteRow(c.get('database').db, table, row.id, null)
  return c.redirect(`${tableUrl(table.owner.username, table.slug)}?deleted=1`, 303)
})

rowEditRoutes.post('/:username/tables/:table/delete-rows', async (c) => {
  const table = await loadTable(c)
  requireOwner(c, table)
  const { fields, all } = await readForm(c)
  const ids = all('ids')
    .filter((id) => /^\d{1,15}$/.test(id))
    .map(Number)
    .slice(0, 1000)
  const deleted = ids.length ? await deleteRows(c.get('database').db, table, ids) : 0
  // Back to the same view of the table, search and sort kept (but never to another page).
  const here = tableUrl(table.owner.username, table.slug)
  const back = safeRedirectPath(fields.back, origin(c), here)
  const to = new URL(back === here || back.startsWith(`${here}?`) ? back : here, origin(c))
  to.searchParams.set('deleted', String(deleted))
  return c.redirect(`${to.pathname}${to.search}`, 303)
})
