// A size limit on every request body, by route: checked from Content-Length before anything is
// read, and counted while a body without one (chunked) streams in. Past it: 413 with a message.
import { createMiddleware } from 'hono/factory'
import { MAX_FILE_BYTES } from '../../application/files.js'
import { MAX_UPLOAD_BYTES } from '../../import/uploads.js'
import { BodyTooLargeError } from '../../lib/body-too-large.js'
import type { AppEnv } from '../env.js'
import { errorResponse } from '../errors.js'

const KIB = 1024
const MIB = 1024 * KIB
// Forms: names, descriptions, column settings, an import review of many columns, 1,000 row ids.
export const FORM_LIMIT = 256 * KIB
// A row may hold long text of up to 1,000,000 characters, which URL-encoding can triple.
export const ROW_FORM_LIMIT = 4 * MIB
// A CSV file and the multipart wrapping around it.
export const UPLOAD_LIMIT = MAX_UPLOAD_BYTES + MIB

// The API: a CSV body appended to a table may be as big as an upload; JSON elsewhere is small
// (rows in JSON are bounded again as they are read, see API_JSON_LIMIT in api/body.ts).
export const API_LIMIT = MIB
const API_ROWS_PATH = /^\/api\/v1\/[^/]+\/tables\/[^/]+\/rows$/
const API_PATH = /^\/api\//

const UPLOAD_PATH = /^\/[^/]+\/tables\/(?:[^/]+\/)?import$/
// A file into a row's cell, from the row form or the API (its own limit is checked as it streams).
const FILE_PATH = /^(?:\/api\/v1)?\/[^/]+\/tables\/[^/]+\/(?:rows\/)?\d+\/files\/[^/]+$/
export const FILE_LIMIT = MAX_FILE_BYTES + MIB
const ROW_FORM_PATH = /^\/[^/]+\/tables\/[^/]+\/(?:new|\d+\/edit)$/

export const formatBytes = (bytes: number) =>
  bytes >= MIB ? `${Math.round(bytes / MIB)} MB` : `${Math.round(bytes / KIB)} KB`

export const UPLOAD_TOO_LARGE = `The file is larger than ${formatBytes(MAX_UPLOAD_BYTES)}: use scripts/import for big files.`

// The limit for a path, and what to say to a request over it.
export function bodyLimitFor(path: string): { limit: number; message: string } {
  if (UPLOAD_PATH.test(path)) return { limit: UPLOAD_LIMIT, message: UPLOAD_TOO_LARGE }
  if (FILE_PATH.test(path)) {
    return { limit: FILE_LIMIT, message: `The file is larger than ${formatBytes(MAX_FILE_BYTES)}.` }
  }
  if (API_PATH.test(path)) {
    const limit = API_ROWS_PATH.test(path) ? UPLOAD_LIMIT : API_LIMIT
    return { limit, message: `The request body is larger than ${formatBytes(limit)}.` }
  }
  const limit = ROW_FORM_PATH.test(path) ? ROW_FORM_LIMIT : FORM_LIMIT
  return {
    limit,
    message: `This form is too large to send: the limit is ${formatBytes(limit)}. Shorten the longest values and try again.`,
  }
}

// The body, passed on chunk by chunk until it grows past `limit`, then an error to whoever reads
// it. The source is released rather than cancelled, so the server can still answer on the socket.
function limitStream(
  body: ReadableStream<Uint8Array>,
  { limit, message }: { limit: number; message: string },
): ReadableStream<Uint8Array> {
  const reader = body.getReader()
  let seen = 0
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      const { done, value } = await reader.read()
      if (done) return controller.close()
      seen += value.byteLength
      if (seen > limit) {
        reader.releaseLock()
        return controller.error(new BodyTooLargeError(limit, message))
      }
      controller.enqueue(value)
    },
    cancel: (reason) => reader.cancel(reason),
  })
}

export const bodyLimit = () =>
  createMiddleware<AppEnv>(async function bodyLimit(c, next) {
    // GET and HEAD carry no body (Node's adapter passes none on); asking would build the whole
    // Request object, a measurable part of a page's CPU time.
    if (c.req.method === 'GET' || c.req.method === 'HEAD') return next()
    const raw = c.req.raw
    if (!raw.body) return next()
    const { limit, message } = bodyLimitFor(c.req.path)
    const length = raw.headers.get('content-length')
    // Node's HTTP parser never passes on more than Content-Length bytes, so the header can be trusted.
    if (length !== null && !raw.headers.has('transfer-encoding')) {
      if (Number(length) > limit) {
        c.header('Connection', 'close')
        return errorResponse(c, 413, message)
      }
      return next()
    }
    c.req.raw = new Request(raw, {
      body: limitStream(raw.body, { limit, message }),
      duplex: 'half',
    } as RequestInit)
    return next()
  })
