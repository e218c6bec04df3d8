// Parsing an application/x-www-form-urlencoded body strictly: every name and value must be UTF-8.
// (URLSearchParams quietly turns bad bytes into U+FFFD, so a broken value would be stored altered.)

export class FormEncodingError extends Error {
  constructor(readonly field: string) {
    super(`The field “${field}” is not valid UTF-8 text.`)
  }
}

const decoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true })
const lenient = new TextDecoder('utf-8')

const hexValue = (byte: number) =>
  byte >= 0x30 && byte <= 0x39
    ? byte - 0x30
    : byte >= 0x41 && byte <= 0x46
      ? byte - 0x37
      : byte >= 0x61 && byte <= 0x66
        ? byte - 0x57
        : -1

// Percent-decoding as the WHATWG URL standard does it: `+` is a space, `%XX` a byte, and a `%` not
// followed by two hex digits stays as it is.
function percentDecode(bytes: Uint8Array): Uint8Array {
  const out = new Uint8Array(bytes.length)
  let length = 0
  for (let i = 0; i < bytes.length; i++) {
    const byte = bytes[i] as number
    if (byte === 0x2b) {
      out[length++] = 0x20
      continue
    }
    if (byte === 0x25 && i + 2 < bytes.length) {
      const high = hexValue(bytes[i + 1] as number)
      const low = hexValue(bytes[i + 2] as number)
      if (high >= 0 && low >= 0) {
        out[length++] = high * 16 + low
        i += 2
        continue
      }
    }
    out[length++] = byte
  }
  return out.subarray(0, length)
}

// The name and value pairs in order, repeated names included.
export function parseUrlEncoded(body: Uint8Array): [string, string][] {
  const pairs: [string, string][] = []
  let start = 0
  while (start <= body.length) {
    let end = body.indexOf(0x26, start)
    if (end === -1) end = body.length
    const part = body.subarray(start, end)
    start = end + 1
    if (part.length === 0) continue
    const equals = part.indexOf(0x3d)
    const rawName = percentDecode(equals === -1 ? part : part.subarray(0, equals))
    const rawValue = percentDecode(equals === -1 ? new Uint8Array(0) : part.subarray(equals + 1))
    let name: string
    try {
      name = decoder.decode(rawName)
    } catch {
      throw new FormEncodingError(lenient.decode(rawName).slice(0, 100))
    }
    try {
      pairs.push([name, decoder.decode(rawValue)])
    } catch {
      throw new FormEncodingError(name.slice(0, 100))
    }
  }
  return pairs
}
