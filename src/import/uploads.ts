// Uploaded CSV files: streamed to a temporary file (never buffered whole), kept for the review step.
import { randomBytes } from 'node:crypto'
import { createWriteStream } from 'node:fs'
import { mkdir, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { Readable } from 'node:stream'
import { pipeline } from 'node:stream/promises'
import type { ReadableStream as WebReadableStream } from 'node:stream/web'
import Busboy from 'busboy'

export const MAX_UPLOAD_BYTES = 200 * 1024 * 1024
const UPLOAD_DIR = join(tmpdir(), 'hostedapi-uploads')
const KEEP_MS = 60 * 60 * 1000

export class UploadError extends Error {}

export interface Upload {
  id: string
  path: string
  filename: string
  // Other form fields sent with the file (a table name, say).
  fields: Record<string, string>
}

const uploadPath = (id: string) => join(UPLOAD_DIR, `${id}.csv`)

// The owner's id is part of the upload id, so nobody else can use it.
export async function saveUpload(request: Request, userId: number): Promise<Upload> {
  const type = request.headers.get('content-type') ?? ''
  if (!type.startsWith('multipart/form-data') || !request.body) {
    throw new UploadError('Choose a CSV file to upload.')
  }
  await mkdir(UPLOAD_DIR, { recursive: true })
  await removeOldUploads()
  const id = `${userId}-${randomBytes(12).toString('base64url')}`
  const path = uploadPath(id)
  const fields: Record<string, string> = {}
  let filename = ''
  let tooLarge = false
  let fileDone: Promise<void> | null = null

  const busboy = Busboy({
    headers: { 'content-type': type },
    limits: { files: 1, fileSize: MAX_UPLOAD_BYTES, fields: 20 },
  })
  busboy.on('field', (name, value) => {
    fields[name] = value.slice(0, 1000)
  })
  busboy.on('file', (name, stream, info) => {
    if (name !== 'file' || fileDone) {
      stream.resume()
      return
    }
    filename = info.filename ?? ''
    stream.on('limit', () => {
      tooLarge = true
    })
    fileDone = pipeline(stream, createWriteStream(path))
    // Awaited below; until then a cut-off upload must not be an unhandled rejection.
    fileDone.catch(() => {})
  })
  try {
    await pipeline(Readable.fromWeb(request.body as WebReadableStream), busboy)
    await fileDone
  } catch {
    await rm(path, { force: true })
    throw new UploadError('The upload did not complete. Please try again.')
  }
  const size = fileDone ? (await stat(path)).size : 0
  if (tooLarge || size === 0) {
    await rm(path, { force: true })
    throw new UploadError(
      tooLarge
        ? `The file is larger than ${MAX_UPLOAD_BYTES / 1024 / 1024} MB: use scripts/import for big files.`
        : 'Choose a CSV file to upload.',
    )
  }
  const upload = { id, path, filename, fields }
  await writeFile(`${path}.json`, JSON.stringify({ filename, fields }))
  return upload
}

export async function findUpload(id: string, userId: number): Promise<Upload | null> {
  if (!/^\d+-[A-Za-z0-9_-]{16}$/.test(id) || !id.startsWith(`${userId}-`)) return null
  try {
    const meta = JSON.parse(await readFile(`${uploadPath(id)}.json`, 'utf8'))
    return { id, path: uploadPath(id), filename: meta.filename, fields: meta.fields }
  } catch {
    return null
  }
}

export async function deleteUpload(upload: Upload): Promise<void> {
  await rm(upload.path, { force: true })
  await rm(`${upload.path}.json`, { force: true })
}

async function removeOldUploads(): Promise<void> {
  const now = Date.now()
  for (const name of await readdir(UPLOAD_DIR)) {
    const path = join(UPLOAD_DIR, name)
    const info = await stat(path).catch(() => null)
    if (info && now - info.mtimeMs > KEEP_MS) await rm(path, { force: true })
  }
}
