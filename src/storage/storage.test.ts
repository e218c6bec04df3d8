import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { Readable } from 'node:stream'
import { sql } from 'kysely'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { readConfig } from '../config.js'
import type { Database } from '../db/database.js'
import { createTestDatabase } from '../test/database.js'
import { type S3Server, startS3Server } from '../test/s3-server.js'
import { folderStorage } from './folder.js'
import { openStorage, S3_PREFIX } from './index.js'
import { CHUNK_BYTES, postgresStorage, StorageFullError } from './postgres.js'
import { s3Storage } from './s3.js'
import { FileTooLargeError, fixedChunks, readAll, type Storage, streamOf } from './storage.js'

const MB = 1024 * 1024

// A stream that sends `bytes` bytes, then fails as a dropped connection does.
function cutOff(bytes: number): Readable {
  let sent = 0
  return new Readable({
    read() {
      if (sent >= bytes) return this.destroy(new Error('connection reset'))
      const chunk = Buffer.alloc(Math.min(64 * 1024, bytes - sent), 1)
      sent += chunk.length
      this.push(chunk)
    },
  })
}

let database: Database
let s3: S3Server
let dir: string
const backends: Record<string, () => Storage> = {}

beforeAll(async () => {
  database = await createTestDatabase()
  s3 = await startS3Server()
  dir = await mkdtemp(join(tmpdir(), 'hostedapi-files-'))
  backends.folder = () => folderStorage(dir)
  backends.postgres = () => postgresStorage(database.db, 100 * MB)
  // Through openStorage, as the app opens it (the SDK loaded at first use).
  backends.s3 = () =>
    openStorage(
      {
        kind: 's3',
        bucket: s3.bucket,
        region: 'us-east-1',
        endpoint: s3.endpoint,
        accessKeyId: 'S3RVER',
        secretAccessKey: 'S3RVER',
      },
      database.db,
    )
})

afterAll(async () => {
  await database?.close()
  await s3?.close()
  await rm(dir, { recursive: true, force: true })
})

describe.each(['folder', 'postgres', 's3'])('%s storage', (name) => {
  const open = () => backends[name]?.() as Storage

  it('stores, reads back, lists and deletes', async () => {
    const storage = open()
    const before = await storage.list()
    const bytes = Buffer.from('hello, files\n'.repeat(1000))
    const { key, size } = await storage.put(streamOf(bytes), { maxBytes: MB })
    expect(size).toBe(bytes.length)
    expect(key).toMatch(/^[A-Za-z0-9_-]{24}$/)
    expect(await storage.list()).toEqual([...before, key].sort())
    const stream = await storage.get(key)
    expect(stream && (await readAll(stream))).toEqual(bytes)
    await storage.delete([key])
    expect(await storage.get(key)).toBeNull()
    expect(await storage.list()).toEqual(before)
    // Gone already, or never a key at all: no error.
    await storage.delete([key, '../../etc/passwd'])
    await storage.delete(['../../etc/passwd'])
  })

  it('keeps a file of several chunks and parts exactly (6 MB)', async () => {
    const storage = open()
    const bytes = Buffer.alloc(6 * MB + 12345)
    for (let i = 0; i < bytes.length; i += 4096) bytes.writeUInt32BE(i, i)
    const { key, size } = await storage.put(Readable.from(fixedChunks([bytes], 100_000)), {
      maxBytes: 25 * MB,
    })
    expect(size).toBe(bytes.length)
    const stream = await storage.get(key)
    expect((stream && (await readAll(stream)))?.equals(bytes)).toBe(true)
    await storage.delete([key])
  })

  it('stores an empty file', async () => {
    const storage = open()
    const { key, size } = await storage.put(streamOf(''), { maxBytes: MB })
    expect(size).toBe(0)
    const stream = await storage.get(key)
    expect(stream && (await readAll(stream))).toEqual(Buffer.alloc(0))
    await storage.delete([key])
  })

  it('refuses a file over the limit and keeps nothing of it', async () => {
    const storage = open()
    const before = await storage.list()
    await expect(storage.put(streamOf(Buffer.alloc(MB + 1)), { maxBytes: MB })).rejects.toThrow(
      FileTooLargeError,
    )
    expect(await storage.list()).toEqual(before)
  })

  it.each([
    ['at the start', 0],
    ['midway through a small file', 300 * 1024],
    ['midway through a multipart upload', 7 * MB],
  ])('keeps nothing of an upload cut off %s', async (_, bytes) => {
    const storage = open()
    const before = await storage.list()
    await expect(storage.put(cutOff(bytes), { maxBytes: 25 * MB })).rejects.toThrow()
    expect(await storage.list()).toEqual(before)
  })

  it.each(['', 'x', 'AAAAAAAAAAAAAAAAAAAAAAA/', '../AAAAAAAAAAAAAAAAAAAAAA'])(
    'finds nothing under a key that is not one (%j)',
    async (key) => {
      expect(await open().get(key)).toBeNull()
    },
  )

  it('finds nothing under a well-formed key never stored', async () => {
    expect(await open().get('A'.repeat(24))).toBeNull()
  })
})

describe('the folder backend', () => {
  it('leaves no partial file behind a failed upload', async () => {
    await expect(folderStorage(dir).put(cutOff(100_000), { maxBytes: MB })).rejects.toThrow()
    expect((await readdir(dir)).filter((name) => name.includes('partial'))).toEqual([])
  })

  it('fails to read from a folder that is a file', async () => {
    const notAFolder = join(dir, 'not-a-folder')
    await writeFile(notAFolder, 'x')
    await expect(folderStorage(notAFolder).get('A'.repeat(24))).rejects.toThrow(/ENOTDIR/)
  })

  it('lists nothing in a folder not made yet', async () => {
    expect(await folderStorage(join(dir, 'missing')).list()).toEqual([])
  })
})

describe('the postgres backend', () => {
  it('keeps files in chunks of a fixed size', async () => {
    const storage = postgresStorage(database.db, 100 * MB)
    const { key } = await storage.put(streamOf(Buffer.alloc(CHUNK_BYTES * 2 + 1)), {
      maxBytes: MB,
    })
    const { rows } = await sql<{ size: number }>`
      select octet_length(data) as size from file_chunks where key = ${key} order by seq`.execute(
      database.db,
    )
    expect(rows.map((row) => row.size)).toEqual([CHUNK_BYTES, CHUNK_BYTES, 1])
    await storage.delete([key])
  })

  it('refuses files past its stated total, and keeps nothing of them', async () => {
    const storage = postgresStorage(database.db, 200 * 1024)
    const before = await storage.list()
    await expect(storage.put(streamOf(Buffer.alloc(300 * 1024)), { maxBytes: MB })).rejects.toThrow(
      StorageFullError,
    )
    const { key } = await storage.put(streamOf(Buffer.alloc(200 * 1024)), { maxBytes: MB })
    // Full now: refused before a byte is read.
    await expect(storage.put(streamOf('x'), { maxBytes: MB })).rejects.toThrow(/is full/)
    await storage.delete([key])
    expect(await storage.list()).toEqual(before)
  })
})

describe('the s3 backend', () => {
  it('reports a missing bucket rather than a missing file', async () => {
    const storage = s3Storage({
      bucket: 'no-such-bucket',
      region: 'us-east-1',
      endpoint: s3.endpoint,
      accessKeyId: 'S3RVER',
      secretAccessKey: 'S3RVER',
      prefix: S3_PREFIX,
    })
    await expect(storage.get('A'.repeat(24))).rejects.toThrow(/bucket/i)
    await storage.close()
  })
})

describe('choosing a backend', () => {
  it.each([
    [{}, 'folder'],
    [{ DATABASE_URL: 'postgres://x@127.0.0.1/db' }, 'postgres'],
    [{ DATABASE_URL: 'postgres://x@127.0.0.1/db', FILES_DIR: '/srv/files' }, 'folder'],
    [{ S3_BUCKET: 'b' }, 's3'],
    [{ BUCKETEER_BUCKET_NAME: 'b', DATABASE_URL: 'postgres://x@127.0.0.1/db' }, 's3'],
  ])('%j → %s', async (env, kind) => {
    const config = readConfig({ NODE_ENV: 'test', ...env })
    const storage = openStorage(config.storage, database.db)
    expect(storage.kind).toBe(kind)
    // Nothing opened yet (a bucket's SDK is loaded at first use), nothing to close.
    if (kind === 's3') await storage.close()
  })

  it('reads the names Bucketeer sets, and S3_* over them', () => {
    expect(
      readConfig({
        BUCKETEER_BUCKET_NAME: 'bucketeer-1',
        BUCKETEER_AWS_REGION: 'eu-west-1',
        BUCKETEER_AWS_ACCESS_KEY_ID: 'AKIA',
        BUCKETEER_AWS_SECRET_ACCESS_KEY: 'secret',
      }).storage,
    ).toEqual({
      kind: 's3',
      bucket: 'bucketeer-1',
      region: 'eu-west-1',
      endpoint: null,
      accessKeyId: 'AKIA',
      secretAccessKey: 'secret',
    })
    expect(
      readConfig({
        BUCKETEER_BUCKET_NAME: 'a',
        S3_BUCKET: 'b',
        S3_ENDPOINT: 'http://127.0.0.1:9000',
      }).storage,
    ).toMatchObject({ bucket: 'b', region: 'us-east-1', endpoint: 'http://127.0.0.1:9000' })
    expect(readConfig({ PGLITE_DIR: '/srv/data/pglite' }).storage).toEqual({
      kind: 'folder',
      dir: '/srv/data/files',
    })
    expect(
      readConfig({ DATABASE_URL: 'postgres://h/db', FILE_STORAGE_DB_LIMIT_MB: '2' }).storage,
    ).toEqual({ kind: 'postgres', limitBytes: 2 * MB })
  })
})
