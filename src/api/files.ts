// The API's files: put a file into a row's File or Image cell (the raw body, or multipart), read it
// and its thumbnail back, or empty the cell.
import { Hono } from 'hono'
import { openFile, removeFile, uploadFile } from '../application/files.js'
import { fileValue } from '../application/representations.js'
import { readRow } from '../application/rows.js'
import type { AppEnv } from '../web/env.js'
import { readIncomingFile, sendStoredFile } from '../web/files-http.js'
import { type ApiContext, absoluteFor, dbOf, tableFor } from './context.js'
import { describe } from './describe.js'
import { FileSchema } from './schemas.js'

export const fileApi = new Hono<AppEnv>()

const FILES = ['Files']
const FILE_PATH = '/:username/tables/:table/rows/:row{[0-9]{1,15}}/files/:column'

const rowIdOf = (c: ApiContext) => Number(c.req.param('row'))
const slugOf = (c: ApiContext) => c.req.param('column') as string

fileApi.put(
  FILE_PATH,
  describe({
    operationId: 'putFile',
    summary: 'Put a file into a row’s File or Image cell',
    description:
      'The body is the file itself (any Content-Type; its name in `?name=` or a ' +
      '`Content-Disposition` filename), or a multipart form with a `file` field. It replaces the ' +
      'file the cell held. At most 25 MB; the type is sniffed from the bytes, never taken from ' +
      'the request. Image columns take JPEG, PNG, WebP, GIF and AVIF up to 40 million pixels ' +
      '(415 for other types, 400 for bigger or damaged images) and get a thumbnail.',
    tags: FILES,
    binaryBody: true,
    ok: [200, FileSchema, 'The file as the row now holds it.'],
    problems: [400, 401, 403, 404, 409, 413, 415],
  }),
  async (c) => {
    const table = await tableFor(c, 'write')
    const incoming = await readIncomingFile(c, { raw: true })
    const db = dbOf(c)
    const { version } = await uploadFile(
      db,
      c.get('storage'),
      c.get('actor'),
      table,
      rowIdOf(c),
      slugOf(c),
      incoming,
    )
    const row = await readRow(db, c.get('actor'), table, rowIdOf(c))
    const index = table.columns.findIndex((column) => column.slug === slugOf(c))
    c.header('ETag', `"${version}"`)
    return c.json(fileValue(table, row, index, absoluteFor(c)))
  },
)

const download = (which: 'file' | 'thumbnail') => async (c: ApiContext) => {
  const table = await tableFor(c, 'read')
  const file = await openFile(dbOf(c), c.get('actor'), table, rowIdOf(c), slugOf(c), which)
  return sendStoredFile(c, file)
}

fileApi.get(
  FILE_PATH,
  describe({
    operationId: 'getFile',
    summary: 'Download a cell’s file',
    description:
      'Images come inline as their type; any other file as an application/octet-stream ' +
      'attachment. Every file is sent with a sandboxing Content-Security-Policy and nosniff.',
    tags: FILES,
    ok: [200, null, 'The file.'],
    download: true,
    problems: [401, 404],
  }),
  download('file'),
)

fileApi.get(
  `${FILE_PATH}/thumbnail`,
  describe({
    operationId: 'getThumbnail',
    summary: 'Download an image’s thumbnail (WebP, at most 320 pixels a side)',
    tags: FILES,
    ok: [200, null, 'The thumbnail.'],
    download: true,
    problems: [401, 404],
  }),
  download('thumbnail'),
)

fileApi.delete(
  FILE_PATH,
  describe({
    operationId: 'deleteFile',
    summary: 'Empty a row’s file cell (the file is deleted)',
    tags: FILES,
    ok: [204, null, 'Emptied.'],
    problems: [401, 403, 404],
  }),
  async (c) => {
    const table = await tableFor(c, 'write')
    await removeFile(dbOf(c), c.get('actor'), table, rowIdOf(c), slugOf(c))
    return c.body(null, 204)
  },
)
