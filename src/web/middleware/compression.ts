// Brotli or gzip for HTML, JSON, CSS, JS, SVG and CSV, streamed exports included, when the client
// accepts it: Heroku's router passes bodies through as the app sends them.
import { Duplex } from 'node:stream'
import { constants, createBrotliCompress, createGzip } from 'node:zlib'
import { COMPRESSIBLE_CONTENT_TYPE_REGEX } from 'hono/compress'
import { createMiddleware } from 'hono/factory'
import { parseAccept } from 'hono/utils/accept'

// Below this, the encoding's framing costs more than it saves.
const MIN_BYTES = 1024
// Quality 4 compresses HTML about as well as gzip -9, several times faster than Brotli's default
// of 11, which is meant for files compressed once and served often.
const BROTLI_QUALITY = 4
const NO_TRANSFORM = /(?:^|,)\s*no-transform\s*(?:,|$)/i

export type Encoding = 'br' | 'gzip'

// The accepted encoding with the highest weight; Brotli on a tie (browsers list gzip first).
export function chooseEncoding(header: string | undefined): Encoding | null {
  if (!header) return null
  const offered = parseAccept(header)
  const any = offered.find((entry) => entry.type === '*')?.q ?? 0
  const weight = (name: Encoding) =>
    offered.find((entry) => entry.type.toLowerCase() === name)?.q ?? any
  const br = weight('br')
  const gzip = weight('gzip')
  if (br > 0 && br >= gzip) return 'br'
  return gzip > 0 ? 'gzip' : null
}

export const compression = () =>
  createMiddleware(async function compression(c, next) {
    await next()
    const res = c.res
    if (!COMPRESSIBLE_CONTENT_TYPE_REGEX.test(res.headers.get('Content-Type') ?? '')) return
    // Caches must keep the variants apart, compressed or not.
    if (!/\baccept-encoding\b/i.test(res.headers.get('Vary') ?? '')) {
      res.headers.append('Vary', 'Accept-Encoding')
    }
    // First what needs no body: reading `res.body` turns the adapter's light response into a
    // whole one (copying the page's text), so a client that takes no encoding never asks for it.
    const encoding = chooseEncoding(c.req.header('Accept-Encoding'))
    if (!encoding) return
    const length = res.headers.get('Content-Length')
    if (
      c.req.method === 'HEAD' ||
      [204, 206, 304].includes(res.status) ||
      res.headers.has('Content-Encoding') ||
      NO_TRANSFORM.test(res.headers.get('Cache-Control') ?? '') ||
      (length !== null && Number(length) < MIN_BYTES) ||
      !res.body
    ) {
      return
    }
    const compressor =
      encoding === 'br'
        ? createBrotliCompress({
            params: {
              [constants.BROTLI_PARAM_QUALITY]: BROTLI_QUALITY,
              ...(length ? { [constants.BROTLI_PARAM_SIZE_HINT]: Number(length) } : {}),
            },
          })
        : createGzip()
    // Node's web-stream types and the DOM's (which Response uses) describe the same objects.
    const pair = Duplex.toWeb(compressor) as unknown as ReadableWritablePair<Uint8Array, Uint8Array>
    c.res = new Response(res.body.pipeThrough(pair), res)
    c.res.headers.delete('Content-Length')
    c.res.headers.set('Content-Encoding', encoding)
    const etag = c.res.headers.get('ETag')
    // The compressed bytes differ from the file's, so the tag can only promise equivalence.
    if (etag && !etag.startsWith('W/')) c.res.headers.set('ETag', `W/${etag}`)
  })
