// Creating a table, its settings (rename, description, visibility) and deleting it.
import { Hono } from 'hono'
import {
  countTables,
  createTableWithinQuota,
  TableQuotaError,
} from '../../application/table-quota.js'
import { TableSettingsError, updateTable } from '../../datasource/table-settings.js'
import { deleteTable, SlugTakenError } from '../../datasource/tables.js'
import type { AppEnv } from '../env.js'
import { readForm, TableFormSchema, validateForm } from '../forms.js'
import { loadTable } from '../load-table.js'
import { CREATE_ELSEWHERE, requireOwner, requireSelf, requireViewer } from '../ownership.js'
import { renderPage } from '../render.js'
import { tableUrl, userUrl } from '../urls.js'
import { tableNav } from '../views/table-nav.js'

export const tableAdminRoutes = new Hono<AppEnv>()

const emptyForm = { name: '', description: '', visibility: 'public' }

tableAdminRoutes.get('/:username/tables/new', async (c) => {
  const viewer = requireViewer(c)
  if (viewer.username.toLowerCase() !== c.req.param('username').toLowerCase()) {
    return c.redirect(`${userUrl(viewer.username)}/tables/new`)
  }
  // At the quota, say so before anyone fills in the form.
  const max = c.get('config').maxTablesPerUser
  const full = (await countTables(c.get('database').db, viewer.id)) >= max
  return renderPage(c, 'table-new', {
    title: 'New table',
    form: emptyForm,
    errors: full ? { form: new TableQuotaError(max).message } : {},
    importUrl: `${userUrl(viewer.username)}/tables/import`,
  })
})

tableAdminRoutes.post('/:username/tables/new', async (c) => {
  const viewer = requireSelf(c, CREATE_ELSEWHERE)
  const { fields } = await readForm(c)
  const form = { ...emptyForm, ...fields }
  const result = validateForm(TableFormSchema, fields)
  const rerender = (errors: Record<string, string>, status: 400 | 403 = 400) =>
    renderPage(
      c,
      'table-new',
      { title: 'New table', form, errors, importUrl: `${userUrl(viewer.username)}/tables/import` },
      status,
    )
  if (!result.ok) return rerender(result.errors)
  try {
    const input = {
      ownerId: viewer.id,
      name: result.value.name,
      description: result.value.description,
      isPublic: result.value.visibility === 'public',
      columns: [],
    }
    const max = c.get('config').maxTablesPerUser
    const table = await createTableWithinQuota(c.get('database').db, input, max)
    return c.redirect(`${tableUrl(viewer.username, table.slug)}/columns`, 303)
  } catch (error) {
    if (error instanceof SlugTakenError)
      return rerender({ name: `${error.message}: choose another name.` })
    if (error instanceof TableQuotaError) return rerender({ form: error.message }, 403)
    throw error
  }
})

tableAdminRoutes.get('/:username/tables/:table/settings', async (c) => {
  const table = await loadTable(c)
  requireOwner(c, table)
  const form = {
    name: table.name,
    description: table.description,
    visibility: table.isPublic ? 'public' : 'private',
  }
  return renderPage(c, 'table-settings', {
    title: `Settings · ${table.name}`,
    nav: tableNav(table, 'settings'),
    form,
    errors: {},
    deleteError: null,
  })
})

tableAdminRoutes.post('/:username/tables/:table/settings', async (c) => {
  const table = await loadTable(c)
  requireOwner(c, table)
  const { fields } = await readForm(c)
  const form = { ...emptyForm, ...fields }
  const rerender = (errors: Record<string, string>) =>
    renderPage(
      c,
      'table-settings',
      {
        title: `Settings · ${table.name}`,
        nav: tableNav(table, 'settings'),
        form,
        errors,
        deleteError: null,
      },
      400,
    )
  const result = validateForm(TableFormSchema, fields)
  if (!result.ok) return rerender(result.errors)
  try {
    const updated = await updateTable(c.get('database').db, table, {
      name: result.value.name,
      description: result.value.description,
      isPublic: result.value.visibility === 'public',
    })
    return c.redirect(`${tableUrl(updated.owner.username, updated.slug)}/settings?saved=1`, 303)
  } catch (error) {
    if (error instanceof SlugTakenError)
      return rerender({ name: `${error.message}: choose another name.` })
    if (error instanceof TableSettingsError)
      return rerender({ [error.field || 'name']: error.message })
    throw error
  }
})

tableAdminRoutes.post('/:username/tables/:table/delete', async (c) => {
  const table = await loadTable(c)
  requireOwner(c, table)
  const { fields } = await readForm(c)
  // Deleting is confirmed by typing the table's name.
  if ((fields.confirm ?? '').trim() !== table.name) {
    const form = {
      name: table.name,
      description: table.description,
      visibility: table.isPublic ? 'public' : 'private',
    }
    return renderPage(
      c,
      'table-settings',
      {
        title: `Settings · ${table.name}`,
        nav: tableNav(table, 'settings'),
        form,
        errors: {},
        deleteError: `Type “${table.name}” exactly to delete this table.`,
      },
      400,
    )
  }
  await deleteTable(c.get('database').db, table.id)
  return c.redirect(
    `${userUrl(table.owner.username)}?deleted=${encodeURIComponent(table.name)}`,
    303,
  )
})
