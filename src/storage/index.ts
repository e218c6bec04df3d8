// Opens the storage the settings name (see config-storage.ts).
import type { StorageConfig } from '../config-storage.js'
import type { Db } from '../db/database.js'
import { folderStorage } from './folder.js'
import { postgresStorage } from './postgres.js'
import type { S3Settings } from './s3.js'
import type { Storage } from './storage.js'

export const S3_PREFIX = 'files/'

// The AWS SDK (some 12 MB in each worker) is loaded only when a bucket is used, at the first file.
function lazyS3Storage(settings: S3Settings): Storage {
  let opened: Promise<Storage> | undefined
  const s3 = () => {
    opened ??= import('./s3.js').then((module) => module.s3Storage(settings))
    return opened
  }
  return {
    kind: 's3',
    put: async (body, options) => (await s3()).put(body, options),
    get: async (key) => (await s3()).get(key),
    delete: async (keys) => (await s3()).delete(keys),
    list: async () => (await s3()).list(),
    close: async () => {
      if (opened) await (await opened).close()
    },
  }
}

export function openStorage(config: StorageConfig, db: Db): Storage {
  if (config.kind === 's3') return lazyS3Storage({ ...config, prefix: S3_PREFIX })
  if (config.kind === 'postgres') return postgresStorage(db, config.limitBytes)
  return folderStorage(config.dir)
}

export type { Storage } from './storage.js'
