// Where uploaded files live: one small interface, with S3, a folder and Postgres behind it.
import { randomBytes } from 'node:crypto'
import { pipeline, Readable, Transform } from 'node:stream'

export interface StoredObject {
  key: string
  size: number
}

export interface Storage {
  kind: 's3' | 'folder' | 'postgres'
  // Stores the stream whole under `key` (one from newKey(), reserved by the caller) or a new key.
  // A stream that fails, or grows past maxBytes (FileTooLargeError), leaves nothing stored.
  put(body: Readable, options: PutOptions): Promise<StoredObject>
  // The object's bytes, or null when there is no such key.
  get(key: string): Promise<Readable | null>
  // Removes the keys; keys that are already gone are no error.
  delete(keys: readonly string[]): Promise<void>
  // Every key stored (for tests and checks; not for requests).
  list(): Promise<string[]>
  close(): Promise<void>
}

export interface PutOptions {
  maxBytes: number
  key?: string
}

export class FileTooLargeError extends Error {
  constructor(readonly maxBytes: number) {
    super(`The file is larger than ${Math.round(maxBytes / 1024 / 1024)} MB`)
  }
}

// 144 random bits, URL- and file-name-safe; nothing a user sends is ever part of a key.
export const newKey = () => randomBytes(18).toString('base64url')
export const KEY_PATTERN = /^[A-Za-z0-9_-]{24}$/
export const isKey = (key: string) => KEY_PATTERN.test(key)

// The key to store under: the caller's (which must be one of ours) or a new one.
export function keyFor(options: PutOptions): string {
  if (options.key === undefined) return newKey()
  if (!isKey(options.key)) throw new Error('Not a storage key')
  return options.key
}

// Passes the bytes on, counting them; past maxBytes the stream fails with FileTooLargeError.
export function countBytes(maxBytes: number): Transform & { bytes: number } {
  let bytes = 0
  const counter = new Transform({
    transform(chunk: Buffer, _encoding, done) {
      bytes += chunk.length
      counter.bytes = bytes
      if (bytes > maxBytes) return done(new FileTooLargeError(maxBytes))
      done(null, chunk)
    },
  }) as Transform & { bytes: number }
  counter.bytes = 0
  return counter
}

// The body through a byte counter; the body's errors (a cut-off upload) reach whoever reads it.
export function limited(body: Readable, maxBytes: number): Transform & { bytes: number } {
  const counter = countBytes(maxBytes)
  pipeline(body, counter, () => {})
  return counter
}

// Reads a stream into chunks of exactly `size` bytes (the last one shorter), holding one at a time.
export async function* fixedChunks(source: AsyncIterable<Buffer> | Iterable<Buffer>, size: number) {
  let pending: Buffer[] = []
  let length = 0
  for await (const chunk of source) {
    pending.push(chunk)
    length += chunk.length
    while (length >= size) {
      const whole = Buffer.concat(pending)
      yield whole.subarray(0, size)
      pending = [whole.subarray(size)]
      length -= size
    }
  }
  if (length > 0) yield Buffer.concat(pending)
}

export const readAll = async (stream: Readable): Promise<Buffer> => {
  const chunks: Buffer[] = []
  for await (const chunk of stream) chunks.push(chunk as Buffer)
  return Buffer.concat(chunks)
}

export const streamOf = (bytes: Buffer | string) => Readable.from([Buffer.from(bytes)])
