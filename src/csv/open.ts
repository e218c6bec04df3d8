// One-call CSV reading: bytes in, encoding and delimiter detected, records streamed out.

import { type CsvEncoding, decodeStream } from './decode.js'
import { detectDelimiter } from './delimiter.js'
import { type CsvRecord, parseCsv } from './parse.js'

export type OpenedCsv = {
  encoding: CsvEncoding
  delimiter: string
  records: AsyncGenerator<CsvRecord>
}

export type OpenCsvOptions = { delimiter?: string }

const SNIFF_CHARS = 64 * 1024

async function* prepend(
  head: string[],
  rest: AsyncGenerator<string>,
  ended: boolean,
): AsyncGenerator<string> {
  let finished = ended
  try {
    yield* head
    while (!finished) {
      const next = await rest.next()
      if (next.done) finished = true
      else yield next.value
    }
  } finally {
    if (!finished) await rest.return(undefined)
  }
}

// Reads the first 64 KiB to detect the encoding and (unless given) the delimiter. Consume
// `records` to the end, or break out of it, so the source is closed.
export async function openCsv(
  source: AsyncIterable<Uint8Array>,
  options: OpenCsvOptions = {},
): Promise<OpenedCsv> {
  const { encoding, chunks } = await decodeStream(source)
  const head: string[] = []
  let length = 0
  let ended = false
  while (length < SNIFF_CHARS) {
    const next = await chunks.next()
    if (next.done) {
      ended = true
      break
    }
    head.push(next.value)
    length += next.value.length
  }
  const delimiter = options.delimiter ?? detectDelimiter(head.join(''))
  return { encoding, delimiter, records: parseCsv(prepend(head, chunks, ended), { delimiter }) }
}
