import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { sql } from 'kysely'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { forgetDeletions, reserveKeys } from '../datasource/file-cells.js'
import type { Database } from '../db/database.js'
import { folderStorage } from '../storage/folder.js'
import { newKey, streamOf } from '../storage/storage.js'
import { createTestDatabase } from '../test/database.js'
import { contentDisposition } from '../web/files-http.js'
import { formatFileSize } from '../web/views/file-view.js'
import { cleanFileName, deleteReleasedFiles, deleteReleasedFilesQuietly } from './files.js'

describe('file names', () => {
  it.each([
    ['photo.png', 'photo.png'],
    ['C:\\Users\\ada\\photo.png', 'photo.png'],
    ['../../etc/passwd', 'passwd'],
    ['  spaced  .txt ', 'spaced  .txt'],
    ['tab\there\u0000\u007f\u009b.txt', 'tabhere.txt'],
    ['lone\ud800surrogate.txt', 'lonesurrogate.txt'],
    ['', 'file'],
    ['.', 'file'],
    ['..', 'file'],
    ['dir/', 'file'],
    ['é'.repeat(300), 'é'.repeat(200)],
    ['😀'.repeat(250), '😀'.repeat(200)],
  ])('%j is kept as %j', (raw, name) => {
    expect(cleanFileName(raw)).toBe(name)
  })

  it.each([
    ['inline', 'photo.png', `inline; filename="photo.png"; filename*=UTF-8''photo.png`],
    [
      'attachment',
      'kéa "quoted" (1)*.txt',
      `attachment; filename="k_a _quoted_ (1)*.txt"; filename*=UTF-8''k%C3%A9a%20%22quoted%22%20%281%29%2A.txt`,
    ],
    ['attachment', '100%\\x', `attachment; filename="100__x"; filename*=UTF-8''100%25%5Cx`],
  ] as const)('sends %s %j as %j', (kind, name, header) => {
    expect(contentDisposition(kind, name)).toBe(header)
  })

  it.each([
    [0, '0 bytes'],
    [1023, '1023 bytes'],
    [1024, '1 KB'],
    [1024 * 1024 - 1, '1024 KB'],
    [1024 * 1024, '1.0 MB'],
    [25 * 1024 * 1024, '25.0 MB'],
  ])('shows %i bytes as %s', (bytes, text) => {
    expect(formatFileSize(bytes)).toBe(text)
  })
})

describe('deleting released files', () => {
  let database: Database
  let dir: string
  beforeAll(async () => {
    database = await createTestDatabase()
    dir = await mkdtemp(join(tmpdir(), 'hostedapi-released-'))
  })
  afterAll(async () => {
    await database?.close()
    await rm(dir, { recursive: true, force: true })
  })

  it('deletes what is queued, a batch at a time, and forgets it', async () => {
    const storage = folderStorage(dir)
    const keys = []
    for (let i = 0; i < 5; i++)
      keys.push((await storage.put(streamOf(`f${i}`), { maxBytes: 10 })).key)
    const kept = await storage.put(streamOf('kept'), { maxBytes: 10 })
    for (const key of keys) {
      await sql`insert into file_deletions (key) values (${key})`.execute(database.db)
    }
    expect(await deleteReleasedFiles(database.db, storage, 2)).toBe(5)
    expect(await storage.list()).toEqual([kept.key])
    expect(await deleteReleasedFiles(database.db, storage, 2)).toBe(0)
  })

  it('deletes a reserved upload only once its reservation ends (a process that died mid-upload)', async () => {
    const storage = folderStorage(join(dir, 'reserved'))
    const [uploading, abandoned] = [newKey(), newKey()]
    await reserveKeys(database.db, [uploading])
    await reserveKeys(database.db, [abandoned], 0)
    for (const key of [uploading, abandoned]) {
      await storage.put(streamOf('bytes'), { maxBytes: 10, key })
    }
    expect(await deleteReleasedFiles(database.db, storage)).toBe(1)
    expect(await storage.list()).toEqual([uploading])
    await forgetDeletions(database.db, [uploading])
  })

  it.each([['../../etc/passwd'], ['short'], [`${'x'.repeat(24)}/`]])(
    'refuses to store under %j, a key that is not one of ours',
    async (key) => {
      const storage = folderStorage(join(dir, 'refused'))
      await expect(storage.put(streamOf('x'), { maxBytes: 10, key })).rejects.toThrow(
        'Not a storage key',
      )
      expect(await storage.list()).toEqual([])
    },
  )

  it('keeps the queue when storage fails, and never fails the request', async () => {
    // A "folder" that is a file: every delete fails.
    const notAFolder = join(dir, 'not-a-folder')
    await writeFile(notAFolder, 'x')
    const key = 'A'.repeat(24)
    await sql`insert into file_deletions (key) values (${key})`.execute(database.db)
    await expect(deleteReleasedFiles(database.db, folderStorage(notAFolder))).rejects.toThrow()
    await deleteReleasedFilesQuietly(database.db, folderStorage(notAFolder))
    const { rows } = await sql`select key from file_deletions`.execute(database.db)
    expect(rows).toEqual([{ key }])
  })
})
