// Files in Postgres, for a DATABASE_URL without a bucket: bytea chunks in one table, up to a stated
// total (FILE_STORAGE_DB_LIMIT_MB), since every byte there counts against the database plan.
import { Readable } from 'node:stream'
import { sql } from 'kysely'
import type { Db } from '../db/database.js'
import { fixedChunks, isKey, keyFor, limited, type Storage } from './storage.js'

export const CHUNK_BYTES = 256 * 1024

export class StorageFullError extends Error {
  constructor(readonly limitBytes: number) {
    super(
      `File storage in the database is full (${Math.round(limitBytes / 1024 / 1024)} MB): delete some files, or configure an S3 bucket`,
    )
  }
}

export function postgresStorage(db: Db, limitBytes: number): Storage {
  const used = async () => {
    const { rows } = await sql<{ bytes: string | number }>`
      select coalesce(sum(size), 0) as bytes from file_objects`.execute(db)
    return Number((rows[0] as { bytes: string | number }).bytes)
  }
  return {
    kind: 'postgres',
    async put(body: Readable, options) {
      if ((await used()) >= limitBytes) throw new StorageFullError(limitBytes)
      const key = keyFor(options)
      const counter = limited(body, options.maxBytes)
      // Each chunk is its own short statement, so a 25 MB upload holds no transaction open while
      // the client sends it; the object only exists (for get and list) once file_objects has it.
      try {
        let seq = 0
        for await (const chunk of fixedChunks(counter, CHUNK_BYTES)) {
          await sql`insert into file_chunks (key, seq, data) values (${key}, ${seq++}, ${chunk})`.execute(
            db,
          )
        }
        if ((await used()) + counter.bytes > limitBytes) throw new StorageFullError(limitBytes)
        await sql`insert into file_objects (key, size) values (${key}, ${counter.bytes})`.execute(
          db,
        )
      } catch (error) {
        body.destroy()
        await sql`delete from file_chunks where key = ${key}`.execute(db)
        throw error
      }
      return { key, size: counter.bytes }
    },
    async get(key) {
      if (!isKey(key)) return null
      const { rows } = await sql<{ n: number }>`
        select 1 as n from file_objects where key = ${key}`.execute(db)
      if (rows.length === 0) return null
      // One chunk in memory at a time, fetched as the reader asks for it.
      async function* chunks() {
        for (let seq = 0; ; seq++) {
          const { rows } = await sql<{ data: Uint8Array }>`
            select data from file_chunks where key = ${key} and seq = ${seq}`.execute(db)
          const row = rows[0]
          if (!row) return
          yield Buffer.from(row.data)
        }
      }
      return Readable.from(chunks())
    },
    async delete(keys) {
      const valid = keys.filter(isKey)
      if (valid.length === 0) return
      await db.transaction().execute(async (trx) => {
        await sql`delete from file_objects where key = any(${valid})`.execute(trx)
        await sql`delete from file_chunks where key = any(${valid})`.execute(trx)
      })
    },
    async list() {
      const { rows } = await sql<{
        key: string
      }>`select key from file_objects order by key`.execute(db)
      return rows.map((row) => row.key)
    },
    close: async () => {},
  }
}
