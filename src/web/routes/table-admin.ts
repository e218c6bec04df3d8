// Creating a table, its settings (rename, description, visibility) and deleting it.
import { type Context, Hono } from 'hono'
import { countTables, TableQuotaError } from '../../application/table-quota.js'
import { changeTable, createTable, deleteTable } from '../../application/tables.js'
import type { TableInfo } from '../../datasource/types.js'
import type { AppEnv } from '../env.js'
import { forForm } from '../form-refusals.js'
import { type FieldErrors, readForm, TableFormSchema, validateForm } from '../forms.js'
import { loadTable } from '../load-table.js'
import { CREATE_ELSEWHERE, requireSelf, requireViewer } from '../ownership.js'
import { renderPage } from '../render.js'
import { tableUrl, userUrl } from '../urls.js'
import { tableNav } from '../views/table-nav.js'

export const tableAdminRoutes = new Hono<AppEnv>()

const emptyForm = { name: '', description: '', visibility: 'public' }

const renderNew = (
  c: Context<AppEnv>,
  form: Record<string, string>,
  errors: FieldErrors,
  status: 200 | 400 | 403 | 409 = 200,
) =>
  renderPage(
    c,
    'table-new',
    {
      title: 'New table',
      form,
      errors,
      importUrl: `${userUrl(c.get('viewer')?.username ?? '')}/tables/import`,
    },
    status,
  )

tableAdminRoutes.get('/:username/tables/new', async (c) => {
  const viewer = requireViewer(c)
  if (viewer.username.toLowerCase() !== c.req.param('username').toLowerCase()) {
    return c.redirect(`${userUrl(viewer.username)}/tables/new`)
  }
  // At the quota, say so before anyone fills in the form.
  const max = c.get('config').maxTablesPerUser
  const full = (await countTables(c.get('database').db, viewer.id)) >= max
  return renderNew(c, emptyForm, full ? { form: new TableQuotaError(max).message } : {})
})

tableAdminRoutes.post('/:username/tables/new', async (c) => {
  const viewer = requireSelf(c, CREATE_ELSEWHERE)
  const { fields } = await readForm(c)
  const form = { ...emptyForm, ...fields }
  const result = validateForm(TableFormSchema, fields)
  if (!result.ok) return renderNew(c, form, result.errors, 400)
  const created = await forForm(() =>
    createTable(
      c.get('database').db,
      c.get('actor'),
      viewer.username,
      {
        name: result.value.name,
        description: result.value.description,
        isPublic: result.value.visibility === 'public',
      },
      c.get('config').maxTablesPerUser,
    ),
  )
  if (!created.ok) return renderNew(c, form, created.errors, created.status)
  return c.redirect(`${tableUrl(viewer.username, created.value.slug)}/columns`, 303)
})

function renderSettings(
  c: Context<AppEnv>,
  table: TableInfo,
  form: Record<string, string>,
  errors: FieldErrors,
  deleteError: string | null = null,
  status: 200 | 400 | 403 | 409 = 200,
) {
  return renderPage(
    c,
    'table-settings',
    {
      title: `Settings · ${table.name}`,
      nav: tableNav(table, 'settings'),
      form,
      errors,
      deleteError,
    },
    status,
  )
}

const settingsForm = (table: TableInfo) => ({
  name: table.name,
  description: table.description,
  visibility: table.isPublic ? 'public' : 'private',
})

tableAdminRoutes.get('/:username/tables/:table/settings', async (c) => {
  const table = await loadTable(c, 'schema')
  return renderSettings(c, table, settingsForm(table), {})
})

tableAdminRoutes.post('/:username/tables/:table/settings', async (c) => {
  const table = await loadTable(c, 'schema')
  const { fields } = await readForm(c)
  const form = { ...emptyForm, ...fields }
  const result = validateForm(TableFormSchema, fields)
  if (!result.ok) return renderSettings(c, table, form, result.errors, null, 400)
  const changed = await forForm(() =>
    changeTable(c.get('database').db, c.get('actor'), table, {
      name: result.value.name,
      description: result.value.description,
      isPublic: result.value.visibility === 'public',
    }),
  )
  if (!changed.ok) return renderSettings(c, table, form, changed.errors, null, changed.status)
  const updated = changed.value
  return c.redirect(`${tableUrl(updated.owner.username, updated.slug)}/settings?saved=1`, 303)
})

tableAdminRoutes.post('/:username/tables/:table/delete', async (c) => {
  const table = await loadTable(c, 'schema')
  const { fields } = await readForm(c)
  // Deleting is confirmed by typing the table's name.
  if ((fields.confirm ?? '').trim() !== table.name) {
    const refusal = `Type “${table.name}” exactly to delete this table.`
    return renderSettings(c, table, settingsForm(table), {}, refusal, 400)
  }
  const deleted = await forForm(() => deleteTable(c.get('database').db, c.get('actor'), table))
  // Other tables link to it: said beside the delete button.
  if (!deleted.ok) {
    return renderSettings(c, table, settingsForm(table), {}, deleted.errors.form ?? null, 409)
  }
  return c.redirect(
    `${userUrl(table.owner.username)}?deleted=${encodeURIComponent(table.name)}`,
    303,
  )
})
