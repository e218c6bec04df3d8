// The embedded default beside PGlite: one file per object in a folder, written whole or not at all.
import { createReadStream } from 'node:fs'
import { mkdir, open, readdir, rename, rm } from 'node:fs/promises'
import { join } from 'node:path'
import type { Readable } from 'node:stream'
import { pipeline } from 'node:stream/promises'
import { countBytes, isKey, keyFor, type Storage } from './storage.js'

export function folderStorage(dir: string): Storage {
  const pathOf = (key: string) => join(dir, key)
  return {
    kind: 'folder',
    async put(body: Readable, options) {
      await mkdir(dir, { recursive: true })
      const key = keyFor(options)
      // Written under a temporary name and renamed when complete, so a cut-off upload leaves no
      // object (and list() never sees a half-written one).
      const partial = join(dir, `.${key}.partial`)
      const counter = countBytes(options.maxBytes)
      // Opened before the copy starts: a stream that opens its file lazily could create it after a
      // failure had already cleaned up.
      const file = await open(partial, 'w')
      try {
        await pipeline(body, counter, file.createWriteStream())
        await rename(partial, pathOf(key))
      } catch (error) {
        await file.close().catch(() => {})
        await rm(partial, { force: true })
        throw error
      }
      return { key, size: counter.bytes }
    },
    async get(key) {
      if (!isKey(key)) return null
      const stream = createReadStream(pathOf(key))
      return new Promise((resolve, reject) => {
        stream.once('open', () => resolve(stream))
        stream.once('error', (error: NodeJS.ErrnoException) =>
          error.code === 'ENOENT' ? resolve(null) : reject(error),
        )
      })
    },
    async delete(keys) {
      await Promise.all(keys.filter(isKey).map((key) => rm(pathOf(key), { force: true })))
    },
    async list() {
      const names = await readdir(dir).catch(() => [] as string[])
      return names.filter(isKey).sort()
    },
    close: async () => {},
  }
}
