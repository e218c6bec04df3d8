// Opens the storage the settings name (see config-storage.ts).
import type { StorageConfig } from '../config-storage.js'
import type { Db } from '../db/database.js'
import { folderStorage } from './folder.js'
import { postgresStorage } from './postgres.js'
import { s3Storage } from './s3.js'
import type { Storage } from './storage.js'

export const S3_PREFIX = 'files/'

export function openStorage(config: StorageConfig, db: Db): Storage {
  if (config.kind === 's3') return s3Storage({ ...config, prefix: S3_PREFIX })
  if (config.kind === 'postgres') return postgresStorage(db, config.limitBytes)
  return folderStorage(config.dir)
}

export type { Storage } from './storage.js'
