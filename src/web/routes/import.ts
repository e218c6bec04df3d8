// CSV import in the browser: upload, review the inferred names and types (or the column mapping),
// then import all or nothing.
import { type Context, Hono } from 'hono'
import { HTTPException } from 'hono/http-exception'
import { appendFile, importFileAsTable, matchHeader } from '../../application/imports.js'
import { countTables, TableQuotaError } from '../../application/table-quota.js'
import { COLUMN_TYPE_LABELS, COLUMN_TYPES, isColumnType } from '../../datasource/column-types.js'
import { ImportError } from '../../datasource/import.js'
import type { TableInfo } from '../../datasource/types.js'
import { type CsvInspection, inspectCsvFile } from '../../import/csv-file.js'
import {
  deleteUpload,
  findUpload,
  saveUpload,
  type Upload,
  UploadError,
  type UploadSettings,
} from '../../import/uploads.js'
import { slugify } from '../../lib/slug.js'
import { hasControlCharacters, isWellFormed } from '../../lib/text.js'
import type { AppEnv, Viewer } from '../env.js'
import { forForm } from '../form-refusals.js'
import { readForm, trimmedSchema, validateForm } from '../forms.js'
import { loadTable } from '../load-table.js'
import { IMPORT_ELSEWHERE, requireSelf, requireViewer } from '../ownership.js'
import { renderPage } from '../render.js'
import { tableUrl, userUrl, withQuery } from '../urls.js'
import { tableNav } from '../views/table-nav.js'

export const importRoutes = new Hono<AppEnv>()

const typeOptions = COLUMN_TYPES.filter((type) => type !== 'choice').map((value) => ({
  value,
  label: COLUMN_TYPE_LABELS[value],
}))

const ownUser = (c: Context<AppEnv>): Viewer => requireSelf(c, IMPORT_ELSEWHERE)

const newImportUrl = (viewer: Viewer) => `${userUrl(viewer.username)}/tables/import`

const uploadSettings = (c: Context<AppEnv>): UploadSettings => {
  const config = c.get('config')
  return {
    dir: config.uploadDir,
    maxPending: config.maxPendingUploads,
    maxPendingBytes: config.maxPendingUploadBytes,
  }
}

function renderUpload(
  c: Context<AppEnv>,
  action: string,
  table: TableInfo | null,
  error: string | null,
  status: 200 | 400 | 403 | 413 = error ? 400 : 200,
) {
  return renderPage(
    c,
    'import-upload',
    {
      title: table ? `Import CSV · ${table.name}` : 'Import a CSV file',
      nav: table ? tableNav(table, 'import') : null,
      action: withQuery(action, { _csrf: c.get('csrfToken') }),
      error,
    },
    status,
  )
}

function reviewModel(upload: Upload, inspection: CsvInspection) {
  return {
    filename: upload.filename,
    encoding: inspection.encoding === 'utf-8' ? 'UTF-8' : 'Windows-1252 (Latin-1)',
    delimiter:
      { ',': 'comma', ';': 'semicolon', '\t': 'tab', '|': 'pipe' }[inspection.delimiter] ??
      inspection.delimiter,
    rowCount: inspection.rowCount,
    ragged: inspection.ragged,
    raggedCount: inspection.raggedCount,
  }
}

// New table from a file.
// A new table from a file counts against the quota: said on the upload page, and refused before
// the file is read.
async function quotaMessage(c: Context<AppEnv>, viewer: Viewer): Promise<string | null> {
  const max = c.get('config').maxTablesPerUser
  const full = (await countTables(c.get('database').db, viewer.id)) >= max
  return full ? new TableQuotaError(max).message : null
}

importRoutes.get('/:username/tables/import', async (c) => {
  const viewer = ownUser(c)
  return renderUpload(c, newImportUrl(viewer), null, await quotaMessage(c, viewer), 200)
})

importRoutes.post('/:username/tables/import', async (c) => {
  const viewer = ownUser(c)
  const full = await quotaMessage(c, viewer)
  if (full) return renderUpload(c, newImportUrl(viewer), null, full, 403)
  try {
    const upload = await saveUpload(c.req.raw, viewer.id, uploadSettings(c))
    return c.redirect(`${newImportUrl(viewer)}/${upload.id}`, 303)
  } catch (error) {
    if (error instanceof UploadError)
      return renderUpload(c, newImportUrl(viewer), null, error.message, error.status)
    throw error
  }
})

async function loadUpload(c: Context<AppEnv>, viewer: Viewer) {
  const upload = await findUpload(
    String(c.req.param('upload')),
    viewer.id,
    c.get('config').uploadDir,
  )
  if (!upload)
    throw new HTTPException(404, {
      message: 'This upload has expired. Please upload the file again.',
    })
  try {
    return { upload, inspection: await inspectCsvFile(upload.path) }
  } catch (error) {
    if (error instanceof ImportError)
      throw new HTTPException(400, { message: `This file cannot be imported: ${error.message}` })
    throw error
  }
}

function renderReview(
  c: Context<AppEnv>,
  viewer: Viewer,
  upload: Upload,
  inspection: CsvInspection,
  form: { name: string; columns: { name: string; type: string }[] },
  errors: Record<string, string>,
  status: 200 | 400 | 403 | 409 = 200,
) {
  return renderPage(
    c,
    'import-review',
    {
      title: 'Review the import',
      file: reviewModel(upload, inspection),
      action: `${newImportUrl(viewer)}/${upload.id}`,
      name: form.name,
      columns: inspection.header.map((header, index) => ({
        index,
        header,
        name: form.columns[index]?.name ?? '',
        type: form.columns[index]?.type ?? 'text',
        error: errors[`column${index}`] ?? null,
      })),
      typeOptions,
      errors,
    },
    status,
  )
}

importRoutes.get('/:username/tables/import/:upload', async (c) => {
  const viewer = ownUser(c)
  const { upload, inspection } = await loadUpload(c, viewer)
  const name =
    upload.filename
      .replace(/\.(csv|tsv|txt)$/i, '')
      .replace(/[_-]+/g, ' ')
      .trim() || 'Imported table'
  return renderReview(c, viewer, upload, inspection, { name, columns: inspection.columns }, {})
})

importRoutes.post('/:username/tables/import/:upload', async (c) => {
  const viewer = ownUser(c)
  const { upload, inspection } = await loadUpload(c, viewer)
  const { fields } = await readForm(c)
  const columns = inspection.header.map((_, index) => ({
    name: (fields[`name${index}`] ?? '').trim(),
    type: fields[`type${index}`] ?? 'text',
  }))
  const form = { name: fields.name ?? '', columns }
  const errors: Record<string, string> = {}
  const name = validateForm(trimmedSchema('A name', 100), fields.name)
  if (!name.ok) errors.name = name.errors.form ?? 'A name is required'
  const seen = new Set<string>()
  columns.forEach((column, index) => {
    const slug = slugify(column.name, '_')
    if (!column.name) errors[`column${index}`] = 'A name is required'
    else if (column.name.length > 100)
      errors[`column${index}`] = 'A name must be at most 100 characters'
    else if (hasControlCharacters(column.name) || !isWellFormed(column.name))
      errors[`column${index}`] = 'A name must not contain control characters (such as NUL)'
    else if (seen.has(slug)) errors[`column${index}`] = 'Two columns have this name'
    else if (!isColumnType(column.type)) errors[`column${index}`] = 'Choose a type'
    seen.add(slug)
  })
  if (Object.keys(errors).length)
    return renderReview(c, viewer, upload, inspection, form, errors, 400)
  const imported = await forForm(() =>
    importFileAsTable(
      c.get('database'),
      c.get('actor'),
      viewer.username,
      upload.path,
      {
        name: name.ok ? name.value : '',
        isPublic: fields.visibility !== 'private',
        columns: columns.map((column) => ({
          name: column.name,
          type: isColumnType(column.type) ? column.type : 'text',
        })),
        delimiter: inspection.delimiter,
      },
      c.get('config').maxTablesPerUser,
    ),
  )
  if (!imported.ok)
    return renderReview(c, viewer, upload, inspection, form, imported.errors, imported.status)
  await deleteUpload(upload)
  return c.redirect(tableUrl(viewer.username, imported.value.table.slug), 303)
})

// Appending a file to an existing table: CSV columns are matched to table columns by name.
importRoutes.get('/:username/tables/:table/import', async (c) => {
  const table = await loadTable(c, 'write')
  return renderUpload(c, `${tableUrl(table.owner.username, table.slug)}/import`, table, null)
})

importRoutes.post('/:username/tables/:table/import', async (c) => {
  const table = await loadTable(c, 'write')
  const viewer = requireViewer(c)
  const base = `${tableUrl(table.owner.username, table.slug)}/import`
  try {
    const upload = await saveUpload(c.req.raw, viewer.id, uploadSettings(c))
    return c.redirect(`${base}/${upload.id}`, 303)
  } catch (error) {
    if (error instanceof UploadError)
      return renderUpload(c, base, table, error.message, error.status)
    throw error
  }
})

function renderAppendReview(
  c: Context<AppEnv>,
  table: TableInfo,
  upload: Upload,
  inspection: CsvInspection,
  chosen: (string | null)[],
  error: string | null,
) {
  return renderPage(
    c,
    'import-append',
    {
      title: `Review the import · ${table.name}`,
      nav: tableNav(table, 'import'),
      file: reviewModel(upload, inspection),
      action: `${tableUrl(table.owner.username, table.slug)}/import/${upload.id}`,
      mappings: inspection.header.map((header, index) => ({
        index,
        header,
        chosen: chosen[index] ?? '',
      })),
      columnOptions: table.columns.map((column) => ({ value: column.slug, label: column.name })),
      error,
    },
    error ? 400 : 200,
  )
}

importRoutes.get('/:username/tables/:table/import/:upload', async (c) => {
  const table = await loadTable(c, 'write')
  const viewer = requireViewer(c)
  const { upload, inspection } = await loadUpload(c, viewer)
  return renderAppendReview(
    c,
    table,
    upload,
    inspection,
    inspection.header.map((header) => matchHeader(table, header)?.slug ?? null),
    null,
  )
})

importRoutes.post('/:username/tables/:table/import/:upload', async (c) => {
  const table = await loadTable(c, 'write')
  const viewer = requireViewer(c)
  const { upload, inspection } = await loadUpload(c, viewer)
  const { fields } = await readForm(c)
  const chosen = inspection.header.map((_, index) => fields[`column${index}`] || null)
  const targets = chosen.map((slug) => table.columns.find((column) => column.slug === slug) ?? null)
  const used = chosen.filter(Boolean)
  if (used.length === 0)
    return renderAppendReview(
      c,
      table,
      upload,
      inspection,
      chosen,
      'Match at least one CSV column to a table column.',
    )
  if (new Set(used).size !== used.length)
    return renderAppendReview(
      c,
      table,
      upload,
      inspection,
      chosen,
      'Each table column can receive only one CSV column.',
    )
  const appended = await forForm(() =>
    appendFile(c.get('database'), c.get('actor'), table, upload.path, targets, {
      delimiter: inspection.delimiter,
    }),
  )
  if (!appended.ok)
    return renderAppendReview(c, table, upload, inspection, chosen, appended.errors.form ?? null)
  await deleteUpload(upload)
  return c.redirect(`${tableUrl(table.owner.username, table.slug)}?imported=${appended.value}`, 303)
})
