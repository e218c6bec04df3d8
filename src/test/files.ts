// Files for tests: real images made with sharp, and hostile ones made byte by byte.
import { deflateSync } from 'node:zlib'
import sharp from 'sharp'
import type { TestApp } from './app.js'
import type { Browser } from './browser.js'

export const makeImage = (
  format: 'png' | 'jpeg' | 'webp' | 'gif' | 'avif',
  width = 640,
  height = 480,
): Promise<Buffer> =>
  sharp({ create: { width, height, channels: 3, background: { r: 200, g: 80, b: 40 } } })
    .toFormat(format)
    .toBuffer()

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1
  return c >>> 0
})

function crc32(bytes: Buffer): number {
  let c = 0xffffffff
  for (const byte of bytes) c = (CRC_TABLE[(c ^ byte) & 0xff] as number) ^ (c >>> 8)
  return (c ^ 0xffffffff) >>> 0
}

function chunk(type: string, data: Buffer): Buffer {
  const length = Buffer.alloc(4)
  length.writeUInt32BE(data.length)
  const body = Buffer.concat([Buffer.from(type, 'latin1'), data])
  const crc = Buffer.alloc(4)
  crc.writeUInt32BE(crc32(body))
  return Buffer.concat([length, body, crc])
}

// A valid PNG header claiming width × height pixels (1-bit grey), with a few rows of real data:
// a decompression bomb's shape, a few hundred bytes long.
export function bombPng(width = 50_000, height = 50_000): Buffer {
  const header = Buffer.alloc(13)
  header.writeUInt32BE(width, 0)
  header.writeUInt32BE(height, 4)
  header.set([1, 0, 0, 0, 0], 8)
  const rows = Buffer.alloc((Math.ceil(width / 8) + 1) * 4)
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    chunk('IDAT', deflateSync(rows)),
    chunk('IEND', Buffer.alloc(0)),
  ])
}

// A zip archive (one stored file): the local header is enough for sniffing, the rest keeps it whole.
export function zipFile(): Buffer {
  const name = Buffer.from('hello.txt')
  const data = Buffer.from('hello\n')
  const local = Buffer.alloc(30)
  local.writeUInt32LE(0x04034b50, 0)
  local.writeUInt16LE(20, 4)
  local.writeUInt32LE(crc32(data), 14)
  local.writeUInt32LE(data.length, 18)
  local.writeUInt32LE(data.length, 22)
  local.writeUInt16LE(name.length, 26)
  const central = Buffer.alloc(46)
  central.writeUInt32LE(0x02014b50, 0)
  central.writeUInt16LE(20, 4)
  central.writeUInt16LE(20, 6)
  central.writeUInt32LE(crc32(data), 16)
  central.writeUInt32LE(data.length, 20)
  central.writeUInt32LE(data.length, 24)
  central.writeUInt16LE(name.length, 28)
  const end = Buffer.alloc(22)
  end.writeUInt32LE(0x06054b50, 0)
  end.writeUInt16LE(1, 8)
  end.writeUInt16LE(1, 10)
  end.writeUInt32LE(46 + name.length, 12)
  end.writeUInt32LE(30 + name.length + data.length, 16)
  return Buffer.concat([local, name, data, central, name, end])
}

export const HTML_PAGE = Buffer.from(
  '<!doctype html><html><body><script>document.title = "owned"</script></body></html>',
)
export const SVG_WITH_SCRIPT = Buffer.from(
  '<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg"><script>alert(document.cookie)</script></svg>',
)

// Uploads from the row form: multipart, the CSRF token in the action URL, as the page sends it.
export function uploadFromForm(
  browser: Browser,
  path: string,
  file: { bytes: Buffer; name: string; type?: string },
): Promise<Response> {
  const form = new FormData()
  form.set(
    'file',
    new Blob([new Uint8Array(file.bytes)], { type: file.type ?? 'image/png' }),
    file.name,
  )
  return browser.request(`${path}?_csrf=${encodeURIComponent(browser.csrfToken)}`, {
    method: 'POST',
    body: form,
    headers: { origin: 'http://localhost' },
  })
}

// Every object in the app's storage.
export const storedKeys = (t: TestApp) => t.storage.list()
