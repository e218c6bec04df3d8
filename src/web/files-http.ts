// Files over HTTP, for the pages and the API alike: reading an upload (multipart, or the raw body)
// as a stream, and sending a stored file back with headers that keep it from running as our page.
import { Readable } from 'node:stream'
import type { ReadableStream as WebReadableStream } from 'node:stream/web'
import Busboy from 'busboy'
import type { Context } from 'hono'
import { InvalidError, NotFoundError } from '../application/errors.js'
import { isImageType, type StoredFile } from '../application/files.js'
import type { AppEnv } from './env.js'

export interface IncomingFile {
  body: Readable
  filename: string
}

const NO_FILE = 'Choose a file to upload (a multipart form with a “file” field, or the raw bytes).'

// The first part named `file` of a multipart body, as a stream while the rest still arrives.
function multipartFile(request: Request, type: string): Promise<IncomingFile> {
  let busboy: Busboy.Busboy
  try {
    busboy = Busboy({ headers: { 'content-type': type }, limits: { files: 10, fields: 10 } })
  } catch {
    throw new InvalidError('This upload could not be read (a multipart form with no boundary).')
  }
  const source = Readable.fromWeb(request.body as WebReadableStream)
  return new Promise((resolve, reject) => {
    busboy.on('file', (name, stream, info) => {
      if (name !== 'file') return stream.resume()
      // Cut off before its reader starts, it fails that reader later: the event must be heard now.
      stream.on('error', () => {})
      resolve({ body: stream, filename: info.filename as string })
    })
    // Before a file part: nothing to store. After one, the file's stream fails with the error.
    busboy.on('close', () => reject(new InvalidError(NO_FILE)))
    source.pipe(busboy)
    source.on('error', (error) => {
      busboy.destroy(error)
      reject(error)
    })
    busboy.on('error', () => reject(new InvalidError('The upload did not complete.')))
  })
}

// A raw body's name: `?name=`, else the filename of a Content-Disposition header.
function rawName(c: Context<AppEnv>): string {
  const query = c.req.query('name')
  if (query) return query
  const header = c.req.header('content-disposition') ?? ''
  const encoded = /filename\*=UTF-8''([^;]+)/i.exec(header)?.[1]
  if (encoded) {
    try {
      return decodeURIComponent(encoded)
    } catch {}
  }
  return /filename="?([^";]*)"?/i.exec(header)?.[1] ?? ''
}

export async function readIncomingFile(
  c: Context<AppEnv>,
  options: { raw: boolean },
): Promise<IncomingFile> {
  const request = c.req.raw
  const type = c.req.header('content-type') ?? ''
  if (!request.body) throw new InvalidError(NO_FILE)
  if (/^multipart\/form-data/i.test(type)) return multipartFile(request, type)
  if (!options.raw) throw new InvalidError(NO_FILE)
  const body = Readable.fromWeb(request.body as WebReadableStream)
  // A body that fails (cut off, or past its limit) before it is read fails its reader later; the
  // 'error' event it emits meanwhile must not go unheard.
  body.on('error', () => {})
  return { body, filename: rawName(c) }
}

// `attachment; filename="…"; filename*=UTF-8''…`: a plain ASCII fallback and the exact name.
export function contentDisposition(kind: 'inline' | 'attachment', name: string): string {
  const ascii = name.replace(/[^\x20-\x7e]|["\\%]/g, '_')
  const exact = encodeURIComponent(name).replace(
    /['()*]/g,
    (ch) => `%${ch.charCodeAt(0).toString(16).toUpperCase()}`,
  )
  return `${kind}; filename="${ascii}"; filename*=UTF-8''${exact}`
}

// The stored bytes, streamed. Only the raster image types we sniffed are sent as what they are,
// inline; everything else is a download of application/octet-stream. Either way the sandboxing CSP
// and nosniff mean an HTML or SVG file can never run script in our origin.
export async function sendStoredFile(c: Context<AppEnv>, file: StoredFile): Promise<Response> {
  const etag = `"${file.key}"`
  const headers = new Headers({
    'Content-Security-Policy': "default-src 'none'; sandbox",
    'X-Content-Type-Options': 'nosniff',
    'Cache-Control': 'private, no-cache',
    ETag: etag,
  })
  const inline = isImageType(file.type)
  headers.set('Content-Type', inline ? file.type : 'application/octet-stream')
  const name = file.key === file.ref.key ? file.ref.name : `${file.ref.name}.thumbnail.webp`
  headers.set('Content-Disposition', contentDisposition(inline ? 'inline' : 'attachment', name))
  if (c.req.header('if-none-match') === etag) return new Response(null, { status: 304, headers })
  if (file.size !== null) headers.set('Content-Length', String(file.size))
  // A HEAD gets the headers alone: a stream opened for it would never be read or closed.
  if (c.req.method === 'HEAD') return new Response(null, { status: 200, headers })
  const stream = await c.get('storage').get(file.key)
  if (!stream) throw new NotFoundError('This file')
  return new Response(Readable.toWeb(stream) as ReadableStream, { status: 200, headers })
}
