// Uploaded CSV files: streamed to a temporary file (never buffered whole), kept for the review step.
// Each user has a small allowance of files waiting for review; expired files are swept on a timer.
import { randomBytes } from 'node:crypto'
import { createWriteStream, type WriteStream } from 'node:fs'
import { mkdir, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { Readable } from 'node:stream'
import { pipeline } from 'node:stream/promises'
import type { ReadableStream as WebReadableStream } from 'node:stream/web'
import Busboy from 'busboy'
import { BodyTooLargeError } from '../lib/body-too-large.js'

export const MAX_UPLOAD_BYTES = 200 * 1024 * 1024
// Room for the multipart wrapping (boundaries, headers, a few small fields) around the file.
const MULTIPART_SLACK = 64 * 1024
export const KEEP_MS = 60 * 60 * 1000
const SWEEP_EVERY_MS = 10 * 60 * 1000

export class UploadError extends Error {
  constructor(
    message: string,
    readonly status: 400 | 413 = 400,
  ) {
    super(message)
  }
}

export const TOO_LARGE = `The file is larger than ${MAX_UPLOAD_BYTES / 1024 / 1024} MB: use scripts/import for big files.`

export interface UploadSettings {
  dir: string
  // Files and bytes one user may have waiting for review; a new upload replaces the oldest.
  maxPending: number
  maxPendingBytes: number
}

export interface Upload {
  id: string
  path: string
  filename: string
  // Other form fields sent with the file (a table name, say).
  fields: Record<string, string>
}

const uploadPath = (dir: string, id: string) => join(dir, `${id}.csv`)

class StopUpload extends Error {}

// The owner's id is part of the upload id, so nobody else can use it.
export async function saveUpload(
  request: Request,
  userId: number,
  settings: UploadSettings,
): Promise<Upload> {
  const type = request.headers.get('content-type') ?? ''
  if (!type.startsWith('multipart/form-data') || !request.body) {
    throw new UploadError('Choose a CSV file to upload.')
  }
  // Refused before a byte is read: Content-Length already says it is too big.
  const declared = Number(request.headers.get('content-length') ?? Number.NaN)
  if (declared > MAX_UPLOAD_BYTES + MULTIPART_SLACK) throw new UploadError(TOO_LARGE, 413)
  let busboy: Busboy.Busboy
  try {
    busboy = Busboy({
      headers: { 'content-type': type },
      limits: { files: 1, fileSize: MAX_UPLOAD_BYTES, fields: 20, fieldSize: 1000 },
    })
  } catch {
    throw new UploadError('This upload could not be read (a multipart form with no boundary).')
  }
  await mkdir(settings.dir, { recursive: true })
  const id = `${userId}-${randomBytes(12).toString('base64url')}`
  const path = uploadPath(settings.dir, id)
  const fields: Record<string, string> = {}
  let filename = ''
  let tooLarge = false
  let fileDone: Promise<void> | null = null
  let out: WriteStream | null = null
  const source = Readable.fromWeb(request.body as WebReadableStream)

  busboy.on('field', (name, value) => {
    fields[name] = value
  })
  busboy.on('file', (name, stream, info) => {
    if (name !== 'file' || fileDone) {
      stream.resume()
      return
    }
    filename = info.filename ?? ''
    // At the limit, stop reading the request at once rather than discarding the rest of it.
    stream.on('limit', () => {
      tooLarge = true
      source.destroy(new StopUpload())
    })
    out = createWriteStream(path)
    fileDone = pipeline(stream, out)
    // Awaited below; until then a cut-off upload must not be an unhandled rejection.
    fileDone.catch(() => {})
  })
  try {
    await pipeline(source, busboy)
    await fileDone
  } catch (error) {
    await (fileDone as Promise<void> | null)?.catch(() => {})
    // A write stream destroyed before its file was open still creates the file when the open
    // completes: removing it before then would leave it behind.
    const file = out as WriteStream | null
    if (file && !file.closed)
      await new Promise<void>((resolve) => file.once('close', () => resolve()))
    await rm(path, { force: true })
    if (tooLarge || error instanceof BodyTooLargeError) throw new UploadError(TOO_LARGE, 413)
    throw new UploadError('The upload did not complete. Please try again.')
  }
  const size = fileDone ? (await stat(path)).size : 0
  if (size === 0) {
    await rm(path, { force: true })
    throw new UploadError('Choose a CSV file to upload.')
  }
  await writeFile(`${path}.json`, JSON.stringify({ filename, fields }))
  // Only now, so that a refused upload changes nothing.
  await makeRoom(settings, userId, id)
  return { id, path, filename, fields }
}

// Removes the user's oldest waiting uploads, never `keep`, until at most `maxPending` files and
// `maxPendingBytes` bytes wait.
async function makeRoom(settings: UploadSettings, userId: number, keep: string) {
  const mine = (await listUploads(settings.dir)).filter((file) => file.id.startsWith(`${userId}-`))
  let count = mine.length
  let bytes = mine.reduce((sum, file) => sum + file.size, 0)
  const oldestFirst = mine
    .filter((file) => file.id !== keep)
    .sort((a, b) => a.modified - b.modified)
  for (const file of oldestFirst) {
    if (count <= settings.maxPending && bytes <= settings.maxPendingBytes) break
    await removeUpload(settings.dir, file.id)
    count--
    bytes -= file.size
  }
}

async function listUploads(dir: string) {
  const names = await readdir(dir).catch(() => [] as string[])
  const files = await Promise.all(
    names
      .filter((name) => name.endsWith('.csv'))
      .map(async (name) => {
        const info = await stat(join(dir, name)).catch(() => null)
        return info && { id: name.slice(0, -4), size: info.size, modified: info.mtimeMs }
      }),
  )
  return files.filter((file) => file !== null)
}

export async function findUpload(id: string, userId: number, dir: string): Promise<Upload | null> {
  if (!/^\d+-[A-Za-z0-9_-]{16}$/.test(id) || !id.startsWith(`${userId}-`)) return null
  try {
    // Expired is expired, whether or not the sweeper has been round yet.
    if (Date.now() - (await stat(uploadPath(dir, id))).mtimeMs > KEEP_MS) {
      await removeUpload(dir, id)
      return null
    }
    const meta = JSON.parse(await readFile(`${uploadPath(dir, id)}.json`, 'utf8'))
    return { id, path: uploadPath(dir, id), filename: meta.filename, fields: meta.fields }
  } catch {
    return null
  }
}

async function removeUpload(dir: string, id: string): Promise<void> {
  await rm(uploadPath(dir, id), { force: true })
  await rm(`${uploadPath(dir, id)}.json`, { force: true })
}

export async function deleteUpload(upload: Upload): Promise<void> {
  await rm(upload.path, { force: true })
  await rm(`${upload.path}.json`, { force: true })
}

// Files older than KEEP_MS (uploads never reviewed, or left by a crash).
export async function removeExpiredUploads(dir: string, now = Date.now()): Promise<number> {
  let removed = 0
  for (const name of await readdir(dir).catch(() => [] as string[])) {
    const path = join(dir, name)
    const info = await stat(path).catch(() => null)
    if (info && now - info.mtimeMs > KEEP_MS) {
      await rm(path, { force: true })
      removed++
    }
  }
  return removed
}

const sweepers = new Map<string, NodeJS.Timeout>()

// One timer per folder and process, which never keeps the process alive on its own.
export function startUploadSweeper(dir: string, everyMs = SWEEP_EVERY_MS): void {
  if (sweepers.has(dir)) return
  const timer = setInterval(() => {
    removeExpiredUploads(dir).catch((error) => console.error('Sweeping old uploads failed', error))
  }, everyMs)
  timer.unref()
  sweepers.set(dir, timer)
}

export function stopUploadSweeper(dir: string): void {
  clearInterval(sweepers.get(dir))
  sweepers.delete(dir)
}
