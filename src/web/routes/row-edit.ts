// Writing rows: new, edit (with a check that nobody saved in between), delete, and bulk delete.
import { type Context, Hono } from 'hono'
import { AppError, PreconditionFailedError } from '../../application/errors.js'
import { findLinkChoices, linkPickers } from '../../application/links.js'
import { changeRow, createRows, readRow, removeRow, removeRows } from '../../application/rows.js'
import { ROW_ERROR } from '../../datasource/row-schema.js'
import { MAX_BULK_DELETE } from '../../datasource/row-writes.js'
import type { Row, TableInfo } from '../../datasource/types.js'
import { safeRedirectPath } from '../../lib/redirect.js'
import type { AppEnv } from '../env.js'
import { forForm } from '../form-refusals.js'
import { readForm } from '../forms.js'
import { loadTable } from '../load-table.js'
import { renderPage } from '../render.js'
import { origin, rowUrl, tableUrl } from '../urls.js'
import { fileView } from '../views/file-view.js'
import { formValues, rowFormFields } from '../views/row-form.js'
import { tableNav } from '../views/table-nav.js'

export const rowEditRoutes = new Hono<AppEnv>()

interface RowFormPage {
  row: Row | null
  values: Record<string, string>
  errors: Record<string, string>
  conflict?: boolean
}

export async function renderRowForm(
  c: Context<AppEnv>,
  table: TableInfo,
  page: RowFormPage,
  status: 200 | 400 | 409 | 413 | 415 = 200,
) {
  const base = tableUrl(table.owner.username, table.slug)
  const nav = tableNav(table, null)
  const pickers = await linkPickers(c.get('database').db, c.get('actor'), table, page.values)
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
      fields: rowFormFields(table, page.values, page.errors, page.row, pickers),
    },
    status,
  )
}

// The row the address names, of the table opened for writing.
async function loadRow(c: Context<AppEnv>) {
  const table = await loadTable(c, 'write')
  const row = await readRow(c.get('database').db, c.get('actor'), table, Number(c.req.param('row')))
  return { table, row }
}

rowEditRoutes.get('/:username/tables/:table/new', async (c) => {
  const table = await loadTable(c, 'write')
  return renderRowForm(c, table, { row: null, values: {}, errors: {} })
})

rowEditRoutes.post('/:username/tables/:table/new', async (c) => {
  const table = await loadTable(c, 'write')
  const { fields } = await readForm(c)
  const created = await forForm(() =>
    createRows(c.get('database').db, c.get('actor'), table, [fields], 'form'),
  )
  if (!created.ok)
    return renderRowForm(c, table, { row: null, values: fields, errors: created.errors }, 400)
  const [row] = created.value as [Row]
  // "Save and add another" comes back to an empty form.
  if (fields._another)
    return c.redirect(`${tableUrl(table.owner.username, table.slug)}/new?added=${row.id}`, 303)
  return c.redirect(rowUrl(table.owner.username, table.slug, row.id), 303)
})

rowEditRoutes.get('/:username/tables/:table/:row{[0-9]+}/edit', async (c) => {
  const { table, row } = await loadRow(c)
  return renderRowForm(c, table, { row, values: formValues(table, row), errors: {} })
})

rowEditRoutes.post('/:username/tables/:table/:row{[0-9]+}/edit', async (c) => {
  const { table, row } = await loadRow(c)
  const { fields } = await readForm(c)
  const version = /^\d{1,15}$/.test(fields._version ?? '') ? Number(fields._version) : -1
  try {
    const changed = await forForm(() =>
      changeRow(c.get('database').db, c.get('actor'), table, row.id, version, fields, {
        input: 'form',
        partial: false,
      }),
    )
    if (changed.ok) return c.redirect(rowUrl(table.owner.username, table.slug, row.id), 303)
    return renderRowForm(c, table, { row, values: fields, errors: changed.errors }, 400)
  } catch (error) {
    if (!(error instanceof PreconditionFailedError)) throw error
    // Someone saved first: show their values, never overwrite them silently.
    const current = error.current as Row
    return renderRowForm(
      c,
      table,
      { row: current, values: formValues(table, current), errors: {}, conflict: true },
      409,
    )
  }
})

rowEditRoutes.get('/:username/tables/:table/:row{[0-9]+}/delete', async (c) => {
  const { table, row } = await loadRow(c)
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
      // A file cell by its file's name (its stored reference is nobody's business).
      text: fileView(table, row, index)?.name ?? row.cells[index] ?? '',
    })),
  })
})

rowEditRoutes.post('/:username/tables/:table/:row{[0-9]+}/delete', async (c) => {
  const { table, row } = await loadRow(c)
  await removeRow(c.get('database').db, c.get('actor'), table, row.id, null)
  return c.redirect(`${tableUrl(table.owner.username, table.slug)}?deleted=1`, 303)
})

rowEditRoutes.post('/:username/tables/:table/delete-rows', async (c) => {
  const table = await loadTable(c, 'write')
  const { fields, all } = await readForm(c)
  const ids = all('ids')
    .filter((id) => /^\d{1,15}$/.test(id))
    .map(Number)
    .slice(0, MAX_BULK_DELETE)
  const deleted = await removeRows(c.get('database').db, c.get('actor'), table, ids)
  // Back to the same view of the table, search and sort kept (but never to another page).
  const here = tableUrl(table.owner.username, table.slug)
  const back = safeRedirectPath(fields.back, origin(c), here)
  const to = new URL(back === here || back.startsWith(`${here}?`) ? back : here, origin(c))
  to.searchParams.set('deleted', String(deleted))
  return c.redirect(`${to.pathname}${to.search}`, 303)
})

// The row form's search as you type for a link column: `{ rows: [{ id, display }] }`, at most 20.
rowEditRoutes.get('/:username/tables/:table/links/:column', async (c) => {
  const table = await loadTable(c, 'write')
  try {
    const rows = await findLinkChoices(
      c.get('database').db,
      c.get('actor'),
      table,
      c.req.param('column'),
      c.req.query('q') ?? '',
    )
    return c.json({ rows })
  } catch (error) {
    if (!(error instanceof AppError) || !['invalid', 'not_found'].includes(error.kind)) throw error
    return c.json({ error: error.message }, error.kind === 'invalid' ? 400 : 404)
  }
})
