// `COPY … TO STDOUT` on a pg connection, handed on in chunks at the pace of whoever takes them.
import type pg from 'pg'
import { to as copyTo } from 'pg-copy-streams'

// What Postgres sends arrives as many small messages; they are passed on in chunks of about this size.
export const COPY_OUT_CHUNK_BYTES = 64 * 1024

// Reads the COPY's output and awaits `emit` for each chunk; while it waits the socket is not read, so
// Postgres itself waits (backpressure). If `emit` throws (the reader went away), `cancel` stops the
// query on the server, the rest is read and dropped until Postgres answers, and the error is thrown.
export function copyOutOf(
  client: pg.PoolClient,
  copySql: string,
  emit: (chunk: Uint8Array) => Promise<void>,
  cancel: () => Promise<void>,
): Promise<number> {
  const stream = client.query(copyTo(copySql))
  return new Promise<number>((resolve, reject) => {
    let parts: Buffer[] = []
    let size = 0
    let stopped: { error: unknown } | null = null
    let sending: Promise<void> = Promise.resolve()
    const send = (resume: boolean) => {
      const chunk = Buffer.concat(parts, size)
      parts = []
      size = 0
      sending = emit(chunk).then(
        () => {
          if (resume) stream.resume()
        },
        (error: unknown) => {
          stopped = { error }
          // Nothing is kept from now on; reading on lets Postgres's answer to the cancel arrive.
          stream.resume()
          // A cancel that cannot be sent: closing the connection stops the query instead.
          return cancel().catch(() => {
            stream.destroy(error as Error)
          })
        },
      )
    }
    stream.on('data', (chunk: Buffer) => {
      if (stopped) return
      parts.push(chunk)
      size += chunk.length
      if (size >= COPY_OUT_CHUNK_BYTES) {
        stream.pause()
        send(true)
      }
    })
    stream.on('end', async () => {
      await sending
      if (!stopped && size > 0) send(false)
      await sending
      if (stopped) reject(stopped.error)
      else resolve(stream.rowCount)
    })
    stream.on('error', async (error) => {
      await sending
      reject(stopped ? stopped.error : error)
    })
  })
}
