// Streaming RFC 4180 CSV parser: text chunks in, records (with their starting line number) out.

export type CsvRecord = { line: number; fields: string[] }

// Bounds that keep a hostile file from filling memory: no value stored anywhere is longer than
// a million characters, and no table is wider than a few hundred columns.
export const MAX_FIELD_CHARS = 1_000_000
export const MAX_FIELDS = 10_000

export type ParseOptions = { delimiter: string; maxFieldChars?: number; maxFields?: number }

export class CsvSyntaxError extends Error {
  readonly line: number

  constructor(message: string, line: number) {
    super(`${message} (line ${line})`)
    this.name = 'CsvSyntaxError'
    this.line = line
  }
}

const QUOTE = 34
const LF = 10
const CR = 13

// Tokenizer modes. A field that ended with a closing quote continues in UNQUOTED mode, so
// stray text after it (`"ab"c`) is kept leniently, as most CSV readers do.
const FIELD_START = 0
const UNQUOTED = 1
const QUOTED = 2
const QUOTE_AT_CHUNK_END = 3 // a quote inside a quoted field was the last character of a chunk

function indexOrEnd(text: string, search: string, from: number): number {
  const index = text.indexOf(search, from)
  return index === -1 ? text.length : index
}

function countLineBreaks(text: string, from: number, to: number): number {
  let count = 0
  for (let i = from; i < to; i++) {
    const code = text.charCodeAt(i)
    if (code === LF) count++
    else if (code === CR) {
      count++
      if (i + 1 < to && text.charCodeAt(i + 1) === LF) i++
    }
  }
  return count
}

// Resumable state machine: push() text in any chunking, then finish() once at the end.
export class CsvTokenizer {
  private readonly delimiter: string
  private readonly delimiterCode: number
  private readonly maxFieldChars: number
  private readonly maxFields: number
  private mode = FIELD_START
  private fields: string[] = []
  private field = ''
  private line = 1
  private recordLine = 1
  private quoteLine = 1
  private previousWasCR = false

  constructor(delimiter: string, limits: { maxFieldChars?: number; maxFields?: number } = {}) {
    if (delimiter.length !== 1 || delimiter === '"' || delimiter === '\r' || delimiter === '\n') {
      throw new RangeError(`Invalid CSV delimiter: ${JSON.stringify(delimiter)}`)
    }
    this.delimiter = delimiter
    this.delimiterCode = delimiter.charCodeAt(0)
    this.maxFieldChars = limits.maxFieldChars ?? MAX_FIELD_CHARS
    this.maxFields = limits.maxFields ?? MAX_FIELDS
  }

  private tooLong(line: number): never {
    const max = this.maxFieldChars.toLocaleString('en-GB')
    throw new CsvSyntaxError(`A value is longer than ${max} characters`, line)
  }

  private tooWide(line: number): never {
    const max = this.maxFields.toLocaleString('en-GB')
    throw new CsvSyntaxError(`A row has more than ${max} values`, line)
  }

  push(text: string, out: CsvRecord[]): void {
    const length = text.length
    if (length === 0) return
    const delimiter = this.delimiter
    const delimiterCode = this.delimiterCode
    let mode = this.mode
    let fields = this.fields
    let field = this.field
    let line = this.line
    let recordLine = this.recordLine
    let pos = 0
    // A LF completing a CRLF split across chunks: the line break was already counted.
    if (this.previousWasCR && text.charCodeAt(0) === LF) {
      if (mode === QUOTED) field += '\n'
      pos = 1
    }
    let nextDelimiter = -1
    let nextLF = -1
    let nextCR = -1
    while (pos < length) {
      if (mode === QUOTED) {
        const quote = text.indexOf('"', pos)
        const end = quote === -1 ? length : quote
        if (nextLF < pos) nextLF = indexOrEnd(text, '\n', pos)
        if (nextCR < pos) nextCR = indexOrEnd(text, '\r', pos)
        if (nextLF < end || nextCR < end) line += countLineBreaks(text, pos, end)
        field += text.slice(pos, end)
        if (field.length > this.maxFieldChars) this.tooLong(this.quoteLine)
        if (quote === -1) break
        pos = quote + 1
        if (pos === length) {
          mode = QUOTE_AT_CHUNK_END
          break
        }
        if (text.charCodeAt(pos) === QUOTE) {
          field += '"'
          pos++
        } else mode = UNQUOTED
        continue
      }
      if (mode === QUOTE_AT_CHUNK_END) {
        if (text.charCodeAt(pos) === QUOTE) {
          field += '"'
          pos++
          mode = QUOTED
        } else mode = UNQUOTED
        continue
      }
      if (mode === FIELD_START) {
        const code = text.charCodeAt(pos)
        if (code === QUOTE) {
          mode = QUOTED
          this.quoteLine = line
          pos++
          continue
        }
        if (fields.length === 0 && (code === LF || code === CR)) {
          // Blank line: no characters at all.
          line++
          pos++
          if (code === CR && pos < length && text.charCodeAt(pos) === LF) pos++
          recordLine = line
          continue
        }
        mode = UNQUOTED
      }
      if (nextDelimiter < pos) nextDelimiter = indexOrEnd(text, delimiter, pos)
      if (nextLF < pos) nextLF = indexOrEnd(text, '\n', pos)
      if (nextCR < pos) nextCR = indexOrEnd(text, '\r', pos)
      const end = Math.min(nextDelimiter, nextLF, nextCR)
      if (end === length) {
        field += text.slice(pos)
        if (field.length > this.maxFieldChars) this.tooLong(recordLine)
        break
      }
      const value = field === '' ? text.slice(pos, end) : field + text.slice(pos, end)
      if (value.length > this.maxFieldChars) this.tooLong(recordLine)
      fields.push(value)
      if (fields.length > this.maxFields) this.tooWide(recordLine)
      field = ''
      mode = FIELD_START
      pos = end + 1
      const code = text.charCodeAt(end)
      if (code === delimiterCode) continue
      out.push({ line: recordLine, fields })
      fields = []
      line++
      if (code === CR && pos < length && text.charCodeAt(pos) === LF) pos++
      recordLine = line
    }
    this.previousWasCR = text.charCodeAt(length - 1) === CR
    this.mode = mode
    this.fields = fields
    this.field = field
    this.line = line
    this.recordLine = recordLine
  }

  finish(out: CsvRecord[]): void {
    if (this.mode === QUOTED) {
      throw new CsvSyntaxError('A quoted value has no closing quote', this.quoteLine)
    }
    if (this.mode !== FIELD_START || this.fields.length > 0) {
      this.fields.push(this.field)
      if (this.fields.length > this.maxFields) this.tooWide(this.recordLine)
      out.push({ line: this.recordLine, fields: this.fields })
    }
    this.mode = FIELD_START
    this.fields = []
    this.field = ''
    this.previousWasCR = false
  }
}

// Yields one array of records per input chunk; cheaper than one await per record.
export async function* parseCsvBatches(
  chunks: AsyncIterable<string> | Iterable<string>,
  options: ParseOptions,
): AsyncGenerator<CsvRecord[]> {
  const tokenizer = new CsvTokenizer(options.delimiter, options)
  for await (const chunk of chunks) {
    const batch: CsvRecord[] = []
    tokenizer.push(chunk, batch)
    if (batch.length > 0) yield batch
  }
  const batch: CsvRecord[] = []
  tokenizer.finish(batch)
  if (batch.length > 0) yield batch
}

export async function* parseCsv(
  chunks: AsyncIterable<string> | Iterable<string>,
  options: ParseOptions,
): AsyncGenerator<CsvRecord> {
  for await (const batch of parseCsvBatches(chunks, options)) {
    for (const record of batch) yield record
  }
}

export function parseCsvText(text: string, options: ParseOptions): CsvRecord[] {
  const tokenizer = new CsvTokenizer(options.delimiter, options)
  const records: CsvRecord[] = []
  tokenizer.push(text, records)
  tokenizer.finish(records)
  return records
}
