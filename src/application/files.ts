// Files in cells for an actor: uploading one into a row's File or Image cell (sniffed, limited,
// thumbnailed, streamed to storage), reading it back, and deleting what rows, columns and tables
// let go of once their change has committed.
import { Readable } from 'node:stream'
import { fileTypeFromBuffer } from 'file-type'
import { textProblem } from '../datasource/column-types.js'
import {
  type FileRef,
  forgetDeletions,
  isFileType,
  queuedDeletions,
  readFileRef,
  reserveKeys,
  setFileCell,
} from '../datasource/file-cells.js'
import { getRow } from '../datasource/rows.js'
import type { ColumnInfo, TableInfo } from '../datasource/types.js'
import type { Db } from '../db/database.js'
import { BodyTooLargeError } from '../lib/body-too-large.js'
import { log } from '../log.js'
import { StorageFullError } from '../storage/postgres.js'
import { FileTooLargeError, newKey, type Storage, streamOf } from '../storage/storage.js'
import { requireAccess } from './access.js'
import type { Actor } from './actor.js'
import { AppError, InvalidError, NotFoundError, TooLargeError } from './errors.js'

export const MAX_FILE_BYTES = 25 * 1024 * 1024
// Pixels an image may have (width × height): 40 megapixels, a large camera's photo. Past it an
// image is refused before it is decoded, so a small file cannot make us decode gigabytes.
export const MAX_IMAGE_PIXELS = 40_000_000
export const THUMBNAIL_PIXELS = 320
export const MAX_NAME_CHARS = 200
// The raster formats an Image column takes (and the only types ever served inline).
export const IMAGE_TYPES = ['image/jpeg', 'image/png', 'image/webp', 'image/gif', 'image/avif']
// file-type decides from at most this many bytes at the start of a file.
const SNIFF_BYTES = 4100

export const isImageType = (type: string) => IMAGE_TYPES.includes(type)

export class UnsupportedFileError extends AppError {
  constructor(message: string) {
    super('unsupported_media_type', message)
  }
}

// A file column of the table, by slug.
export function findFileColumn(table: TableInfo, slug: string): ColumnInfo {
  const column = table.columns.find((candidate) => candidate.slug === slug)
  if (!column || !isFileType(column.type)) throw new NotFoundError('This file column')
  return column
}

// The name as the client gave it, reduced to something safe to show and to send back: the last
// path segment, without control characters, at most MAX_NAME_CHARS characters.
export function cleanFileName(raw: string): string {
  const base = raw.split(/[/\\]/).at(-1) as string
  // biome-ignore lint/suspicious/noControlCharactersInRegex: removing them is the point
  let name = base.replace(/[\u0000-\u001f\u007f-\u009f]/g, '').trim()
  if (textProblem(name)) name = name.replace(/\p{Cs}/gu, '')
  name = Array.from(name).slice(0, MAX_NAME_CHARS).join('')
  return name === '' || name === '.' || name === '..' ? 'file' : name
}

export const INTERRUPTED = 'The upload did not complete, so nothing was stored. Please try again.'

// The client's stream failing (a dropped connection) is the client's problem, not a 500; a body
// over its route's limit keeps its own error (a 413).
async function nextChunk(iterator: AsyncIterator<unknown>) {
  try {
    return (await iterator.next()) as IteratorResult<Buffer>
  } catch (error) {
    if (error instanceof BodyTooLargeError) throw error
    throw new InvalidError(INTERRUPTED)
  }
}

// The first bytes of the stream (for sniffing), and a stream of the whole, head included.
async function peek(body: Readable, bytes: number): Promise<{ head: Buffer; whole: Readable }> {
  const chunks: Buffer[] = []
  let length = 0
  // Its failure reaches us through the iterator; a late 'error' event must not go unheard.
  body.on('error', () => {})
  const iterator = body[Symbol.asyncIterator]()
  while (length < bytes) {
    const next = await nextChunk(iterator)
    if (next.done) break
    chunks.push(next.value)
    length += next.value.length
  }
  const head = Buffer.concat(chunks)
  async function* whole() {
    yield head
    while (true) {
      const next = await nextChunk(iterator)
      if (next.done) return
      yield next.value
    }
  }
  return { head: head.subarray(0, bytes), whole: Readable.from(whole()) }
}

const imageError = (message: string) => new InvalidError(message, { errors: { file: message } })

// Reads the image's size from its header, refuses one with too many pixels, then makes the
// thumbnail (decoding with sharp's own pixel limit as a second guard).
async function describeImage(storage: Storage, key: string) {
  // Loaded at the first image, not at start-up: sharp and libvips take some 28 MB in each worker.
  const { default: sharp } = await import('sharp')
  const open = async () => (await storage.get(key)) as Readable
  let width = 0
  let height = 0
  try {
    const source = await open()
    const meta = await source.pipe(sharp({ limitInputPixels: false })).metadata()
    width = meta.width
    height = meta.height
  } catch {
    throw imageError('This image could not be read: the file is damaged or not an image.')
  }
  if (width * height > MAX_IMAGE_PIXELS) {
    throw imageError(
      `This image is ${width.toLocaleString('en-GB')} × ${height.toLocaleString('en-GB')} pixels: at most ${(MAX_IMAGE_PIXELS / 1_000_000).toLocaleString('en-GB')} million pixels are accepted.`,
    )
  }
  try {
    const thumbnail = await (await open())
      .pipe(
        sharp({ limitInputPixels: MAX_IMAGE_PIXELS, animated: false })
          .rotate()
          .resize(THUMBNAIL_PIXELS, THUMBNAIL_PIXELS, { fit: 'inside', withoutEnlargement: true })
          .webp({ quality: 80 }),
      )
      .toBuffer()
    return { width, height, thumbnail }
  } catch {
    throw imageError('This image could not be read: the file is damaged or not an image.')
  }
}

function storageRefusal(error: unknown): never {
  if (error instanceof AppError || error instanceof BodyTooLargeError) throw error
  if (error instanceof FileTooLargeError) {
    throw new TooLargeError(`The file is larger than ${MAX_FILE_BYTES / 1024 / 1024} MB.`)
  }
  if (error instanceof StorageFullError) throw new AppError('conflict', error.message)
  throw error
}

export interface UploadedFile {
  ref: FileRef
  version: number
}

// Streams `body` into storage as the file of one cell, replacing the file it held (which is
// deleted from storage once the new reference is committed). The type is sniffed from the bytes.
export async function uploadFile(
  db: Db,
  storage: Storage,
  actor: Actor,
  table: TableInfo,
  rowId: number,
  slug: string,
  upload: { body: Readable; filename: string },
): Promise<UploadedFile> {
  requireAccess(actor, table, 'write')
  const column = findFileColumn(table, slug)
  if (!(await getRow(db, table, rowId))) throw new NotFoundError('This row')
  const { head, whole } = await peek(upload.body, SNIFF_BYTES)
  if (head.length === 0) throw new InvalidError('The file is empty.', { errors: { file: 'Empty' } })
  const sniffed = await fileTypeFromBuffer(head)
  const type = sniffed?.mime ?? 'application/octet-stream'
  if (column.type === 'image' && !isImageType(type)) {
    whole.destroy()
    upload.body.destroy()
    throw new UnsupportedFileError(
      `An Image column takes JPEG, PNG, WebP, GIF or AVIF files; this file is ${sniffed ? sniffed.ext.toUpperCase() : 'not an image'}.`,
    )
  }
  // Reserved first: if this process dies before the reference commits, the objects still go.
  const keys = isImageType(type) ? [newKey(), newKey()] : [newKey()]
  await reserveKeys(db, keys)
  try {
    const stored = await storage
      .put(whole, { maxBytes: MAX_FILE_BYTES, key: keys[0] })
      .catch(storageRefusal)
    let ref: FileRef = {
      key: stored.key,
      name: cleanFileName(upload.filename),
      type,
      size: stored.size,
    }
    if (isImageType(type)) {
      const image = await describeImage(storage, stored.key)
      const thumbnail = await storage
        .put(streamOf(image.thumbnail), { maxBytes: MAX_FILE_BYTES, key: keys[1] })
        .catch(storageRefusal)
      ref = { ...ref, width: image.width, height: image.height, thumbnail: thumbnail.key }
    }
    const result = await setFileCell(db, table, rowId, column.id, ref)
    if (!result) throw new NotFoundError('This row')
    return { ref, version: result.version }
  } catch (error) {
    // Nothing refers to what was stored: it goes now (or, should that fail, after the reservation).
    await storage
      .delete(keys)
      .then(() => forgetDeletions(db, keys))
      .catch(() => {})
    throw error
  }
}

// Empties a file cell; its file is deleted once that commits.
export async function removeFile(
  db: Db,
  actor: Actor,
  table: TableInfo,
  rowId: number,
  slug: string,
): Promise<void> {
  requireAccess(actor, table, 'write')
  const column = findFileColumn(table, slug)
  if (!(await setFileCell(db, table, rowId, column.id, null))) throw new NotFoundError('This row')
}

export interface StoredFile {
  ref: FileRef
  // What to send: the file, or its thumbnail (a WebP image).
  key: string
  type: string
  size: number | null
}

// The file (or thumbnail) of a cell the actor may read, or a NotFoundError.
export async function openFile(
  db: Db,
  actor: Actor,
  table: TableInfo,
  rowId: number,
  slug: string,
  which: 'file' | 'thumbnail',
): Promise<StoredFile> {
  requireAccess(actor, table, 'read')
  const column = findFileColumn(table, slug)
  const row = await getRow(db, table, rowId)
  const index = table.columns.indexOf(column)
  const ref = readFileRef(row?.cells[index] ?? null)
  if (!ref) throw new NotFoundError('This file')
  if (which === 'thumbnail') {
    if (!ref.thumbnail) throw new NotFoundError('This thumbnail')
    return { ref, key: ref.thumbnail, type: 'image/webp', size: null }
  }
  return { ref, key: ref.key, type: ref.type, size: ref.size }
}

// Deletes from storage the files that committed changes let go of, a batch at a time; what a
// failure leaves stays queued for the next call.
export async function deleteReleasedFiles(db: Db, storage: Storage, batch = 1000): Promise<number> {
  let deleted = 0
  for (let round = 0; round < 10; round++) {
    const keys = await queuedDeletions(db, batch)
    if (keys.length === 0) break
    await storage.delete(keys)
    await forgetDeletions(db, keys)
    deleted += keys.length
    if (keys.length < batch) break
  }
  return deleted
}

// The same, never failing the request that triggered it.
export async function deleteReleasedFilesQuietly(db: Db, storage: Storage): Promise<void> {
  try {
    await deleteReleasedFiles(db, storage)
  } catch (error) {
    log.warn({ err: error }, 'Deleting released files failed; they stay queued')
  }
}
