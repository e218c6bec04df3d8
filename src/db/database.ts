// Opens the database: a pg Pool when DATABASE_URL is set, else embedded PGlite. One SQL dialect.
import { mkdirSync } from 'node:fs'
import { PGlite } from '@electric-sql/pglite'
import { pg_trgm } from '@electric-sql/pglite/contrib/pg_trgm'
import { Kysely, PostgresDialect, sql } from 'kysely'
import { PGliteDialect } from 'kysely-pglite-dialect'
import pg from 'pg'
import { from as copyFrom } from 'pg-copy-streams'
import { log } from '../log.js'
import { COPY_OUT_CHUNK_BYTES, copyOutOf } from './copy-out.js'
import type { Catalog } from './schema.js'
import { poolSsl, type SslMode, withoutSslParams } from './ssl.js'

export type Db = Kysely<Catalog>

// The one place the two drivers differ: bulk COPY in and out of a table.
export interface Database {
  kind: 'postgres' | 'pglite'
  db: Db
  // Runs `COPY … FROM STDIN (FORMAT csv)` inside `trx`; feeds it CSV text in bounded chunks.
  copyIn(trx: Db, copySql: string, chunks: AsyncIterable<string>): Promise<number>
  // Runs `COPY (…) TO STDOUT …` inside `trx` and awaits `emit` for each chunk of its output, so a
  // slow reader slows the query; if `emit` throws, the query is stopped and the error thrown.
  copyOut(trx: Db, copySql: string, emit: (chunk: Uint8Array) => Promise<void>): Promise<number>
  close(): Promise<void>
}

const INT8_OID = 20

// A request waits at most this long for a connection (a free one, or a new one to a server that
// does not answer), then fails, and the page says the database is unavailable (503).
export const CONNECT_TIMEOUT_MS = 5000

export function openPostgres(
  url: string,
  poolMax: number,
  options: { sslMode?: SslMode | null } = {},
): Database {
  // Catalog ids and counts are bigints well inside the safe integer range.
  const types = {
    getTypeParser: (oid: number, format?: 'text' | 'binary') =>
      oid === INT8_OID ? Number : pg.types.getTypeParser(oid, format),
  }
  const pool = new pg.Pool({
    connectionString: withoutSslParams(url),
    ssl: poolSsl(url, options.sslMode ?? null),
    max: poolMax,
    types,
    connectionTimeoutMillis: CONNECT_TIMEOUT_MS,
    // Probes notice a server that vanished without closing the connection (a failover).
    keepAlive: true,
    keepAliveInitialDelayMillis: 10_000,
    application_name: 'hostedapi',
  })
  // A connection can die at any time (a restart, a failover, pg_terminate_backend). Unheard, the
  // client's 'error' event would end the process; heard, the client is dropped (pg-pool does not
  // reuse a client that is not queryable) and the next query opens a new one.
  pool.on('connect', (client) => {
    client.on('error', (error) => {
      log.warn({ err: error }, 'A database connection was lost; the pool will open another')
    })
  })
  // pg-pool repeats an idle client's error here, after the listener above has logged it.
  pool.on('error', () => {})
  const checkedOut = new Map<number, pg.PoolClient>()
  pool.on('acquire', (client) => {
    checkedOut.set((client as unknown as { processID: number }).processID, client)
  })
  pool.on('release', (_err, client) => {
    checkedOut.delete((client as unknown as { processID: number }).processID)
  })
  const db: Db = new Kysely<Catalog>({ dialect: new PostgresDialect({ pool }) })

  // A Kysely transaction hides its pg client; find it by the backend pid it is talking to.
  async function clientOf(trx: Db): Promise<pg.PoolClient> {
    return (await connectionOf(trx)).client
  }
  async function connectionOf(trx: Db): Promise<{ client: pg.PoolClient; pid: number }> {
    const { rows } = await sql<{ pid: number }>`select pg_backend_pid() as pid`.execute(trx)
    const pid = Number(rows[0]?.pid)
    const client = checkedOut.get(pid)
    if (!client) throw new Error('COPY needs the transaction’s own connection')
    return { client, pid }
  }

  return {
    kind: 'postgres',
    db,
    async copyIn(trx, copySql, chunks) {
      const client = await clientOf(trx)
      const stream = client.query(copyFrom(copySql))
      const done = new Promise<void>((resolve, reject) => {
        stream.on('finish', resolve)
        stream.on('error', reject)
      })
      try {
        for await (const chunk of chunks) {
          if (!stream.write(chunk)) await new Promise((resolve) => stream.once('drain', resolve))
        }
      } catch (error) {
        stream.destroy(error as Error)
        await done.catch(() => {})
        throw error
      }
      stream.end()
      await done
      return Number(stream.rowCount)
    },
    async copyOut(trx, copySql, emit) {
      const { client, pid } = await connectionOf(trx)
      // The cancel goes through another connection of the pool.
      const cancel = async () => {
        await sql`select pg_cancel_backend(${pid})`.execute(db)
      }
      return copyOutOf(client, copySql, emit, cancel)
    },
    close: () => db.destroy(),
  }
}

// Each chunk is a COPY of its own, which numbers its rows from 1: a refusal's "COPY t2, line N" is
// made to count the rows of the chunks before it, as one COPY on Postgres would.
function countingEarlierChunks(error: unknown, rowsBefore: number): unknown {
  const refusal = error as { where?: unknown }
  if (typeof refusal?.where === 'string') {
    refusal.where = refusal.where.replace(
      /^(COPY \S+, line )(\d+)/,
      (_, start: string, line: string) => `${start}${Number(line) + rowsBefore}`,
    )
  }
  return error
}

export async function openPglite(dataDir: string | null): Promise<Database> {
  if (dataDir) mkdirSync(dataDir, { recursive: true })
  const options = { extensions: { pg_trgm } }
  const pglite = dataDir ? new PGlite(dataDir, options) : new PGlite(options)
  await pglite.waitReady
  const db: Db = new Kysely<Catalog>({ dialect: new PGliteDialect(pglite) })
  return {
    kind: 'pglite',
    db,
    // PGlite has one session: inside `trx` it already holds the connection, so COPY joins it.
    async copyIn(_trx, copySql, chunks) {
      const fromBlob = copySql.replace(/\bFROM STDIN\b/i, "FROM '/dev/blob'")
      let rows = 0
      for await (const chunk of chunks) {
        const result = await pglite
          .query(fromBlob, [], { blob: new Blob([chunk]) })
          .catch((error: unknown) => {
            throw countingEarlierChunks(error, rows)
          })
        rows += result.affectedRows ?? 0
      }
      return rows
    },
    // PGlite writes the whole output to a blob first: the database is in this process anyway.
    async copyOut(_trx, copySql, emit) {
      const toBlob = copySql.replace(/\bTO STDOUT\b/i, "TO '/dev/blob'")
      const result = await pglite.query(toBlob)
      const bytes = new Uint8Array((await result.blob?.arrayBuffer()) ?? new ArrayBuffer(0))
      for (let start = 0; start < bytes.length; start += COPY_OUT_CHUNK_BYTES) {
        await emit(bytes.subarray(start, start + COPY_OUT_CHUNK_BYTES))
      }
      return result.affectedRows ?? 0
    },
    close: () => db.destroy(),
  }
}

export async function openDatabase(settings: {
  databaseUrl: string | null
  databasePoolMax: number
  databaseSslMode?: SslMode | null
  pgliteDir: string
}): Promise<Database> {
  return settings.databaseUrl
    ? openPostgres(settings.databaseUrl, settings.databasePoolMax, {
        sslMode: settings.databaseSslMode ?? null,
      })
    : openPglite(settings.pgliteDir)
}
