// A row's files on the pages: the file and its thumbnail, an upload from the row form (multipart,
// streamed to storage), and removing a file.
import { type Context, Hono } from 'hono'
import { AppError } from '../../application/errors.js'
import { openFile, removeFile, uploadFile } from '../../application/files.js'
import { readRow } from '../../application/rows.js'
import type { AppEnv } from '../env.js'
import { readIncomingFile, sendStoredFile } from '../files-http.js'
import { loadTable } from '../load-table.js'
import { rowUrl } from '../urls.js'
import { formValues } from '../views/row-form.js'
import { renderRowForm } from './row-edit.js'

export const fileRoutes = new Hono<AppEnv>()

const FILE_PATH = '/:username/tables/:table/:row{[0-9]{1,15}}/files/:column'

const rowIdOf = (c: Context<AppEnv>) => Number(c.req.param('row'))
const slugOf = (c: Context<AppEnv>) => c.req.param('column') as string

async function send(c: Context<AppEnv>, which: 'file' | 'thumbnail') {
  const table = await loadTable(c, 'read')
  const file = await openFile(
    c.get('database').db,
    c.get('actor'),
    table,
    rowIdOf(c),
    slugOf(c),
    which,
  )
  return sendStoredFile(c, file)
}

fileRoutes.get(FILE_PATH, (c) => send(c, 'file'))
fileRoutes.get(`${FILE_PATH}/thumbnail`, (c) => send(c, 'thumbnail'))

// Refusals of the file itself, shown beside its field on the edit form.
const FILE_REFUSALS = { invalid: 400, conflict: 409, too_large: 413, unsupported_media_type: 415 }

// The CSRF token comes in the action URL (the body is a stream); back to the edit form after.
fileRoutes.post(FILE_PATH, async (c) => {
  const table = await loadTable(c, 'write')
  const rowId = rowIdOf(c)
  const db = c.get('database').db
  try {
    const incoming = await readIncomingFile(c, { raw: false })
    await uploadFile(db, c.get('storage'), c.get('actor'), table, rowId, slugOf(c), incoming)
  } catch (error) {
    if (!(error instanceof AppError) || !Object.hasOwn(FILE_REFUSALS, error.kind)) throw error
    const row = await readRow(db, c.get('actor'), table, rowId)
    const status = FILE_REFUSALS[error.kind as keyof typeof FILE_REFUSALS] as 400 | 409 | 413 | 415
    const errors = { [slugOf(c)]: error.message }
    return renderRowForm(c, table, { row, values: formValues(table, row), errors }, status)
  }
  return c.redirect(`${rowUrl(table.owner.username, table.slug, rowId)}/edit`, 303)
})

fileRoutes.post(`${FILE_PATH}/delete`, async (c) => {
  const table = await loadTable(c, 'write')
  const rowId = rowIdOf(c)
  await removeFile(c.get('database').db, c.get('actor'), table, rowId, slugOf(c))
  return c.redirect(`${rowUrl(table.owner.username, table.slug, rowId)}/edit`, 303)
})
