// Byte-level input: guess UTF-8 vs windows-1252 and decode a byte stream into text chunks.

export type CsvEncoding = 'utf-8' | 'windows-1252'

export type DecodedStream = { encoding: CsvEncoding; chunks: AsyncGenerator<string> }

export const SNIFF_BYTES = 64 * 1024

// windows-1252 characters for bytes 0x80-0x9f (WHATWG; undefined bytes map to themselves).
// Node's TextDecoder('windows-1252') decodes these as C1 controls, like latin1, so we fix them up.
const C1_TABLE =
  '\u20ac\x81\u201a\u0192\u201e\u2026\u2020\u2021\u02c6\u2030\u0160\u2039\u0152\x8d\u017d\x8f' +
  '\x90\u2018\u2019\u201c\u201d\u2022\u2013\u2014\u02dc\u2122\u0161\u203a\u0153\x9d\u017e\u0178'

const C1_CONTROLS = /[\x80-\x9f]/g

function fixWindows1252(text: string): string {
  return text.replace(C1_CONTROLS, (char) => C1_TABLE.charAt(char.charCodeAt(0) - 0x80))
}

// `complete` says the sample is the whole input; otherwise a multibyte sequence cut off at the
// end of the sample is tolerated.
export function detectEncoding(sample: Uint8Array, complete = false): CsvEncoding {
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(sample, { stream: !complete })
    return 'utf-8'
  } catch {
    return 'windows-1252'
  }
}

function concatBytes(parts: Uint8Array[], size: number): Uint8Array {
  if (parts.length === 1) return parts[0] as Uint8Array
  const bytes = new Uint8Array(size)
  let offset = 0
  for (const part of parts) {
    bytes.set(part, offset)
    offset += part.length
  }
  return bytes
}

async function* decodeRest(
  head: Uint8Array,
  iterator: AsyncIterator<Uint8Array>,
  ended: boolean,
  encoding: CsvEncoding,
): AsyncGenerator<string> {
  // ignoreBOM defaults to false, so the decoder itself drops a leading UTF-8 BOM.
  const decoder = new TextDecoder(encoding)
  const decode = (bytes?: Uint8Array) => {
    const text = bytes ? decoder.decode(bytes, { stream: true }) : decoder.decode()
    return encoding === 'windows-1252' ? fixWindows1252(text) : text
  }
  let finished = ended
  try {
    const first = decode(head)
    if (first !== '') yield first
    while (!finished) {
      const next = await iterator.next()
      if (next.done) finished = true
      else {
        const text = decode(next.value)
        if (text !== '') yield text
      }
    }
    const last = decode()
    if (last !== '') yield last
  } finally {
    if (!finished) await iterator.return?.()
  }
}

// Reads at least SNIFF_BYTES (or the whole input) to detect the encoding, then streams the rest.
// Consume `chunks` to the end (or break out of it) so the source is closed.
export async function decodeStream(source: AsyncIterable<Uint8Array>): Promise<DecodedStream> {
  const iterator = source[Symbol.asyncIterator]()
  const parts: Uint8Array[] = []
  let size = 0
  let ended = false
  while (size < SNIFF_BYTES) {
    const next = await iterator.next()
    if (next.done) {
      ended = true
      break
    }
    parts.push(next.value)
    size += next.value.length
  }
  const head = concatBytes(parts, size)
  const encoding = detectEncoding(head, ended)
  return { encoding, chunks: decodeRest(head, iterator, ended, encoding) }
}
