// Where uploaded files go, read from the environment: an S3 bucket (S3_* or the names Heroku's
// Bucketeer add-on sets), else a folder beside the PGlite data, else (DATABASE_URL) Postgres.
import { dirname, join } from 'node:path'
import * as v from 'valibot'

const text = v.optional(v.pipe(v.string(), v.nonEmpty()))

export const StorageEnvSchema = v.object({
  S3_BUCKET: text,
  S3_ENDPOINT: v.optional(v.pipe(v.string(), v.url('must be a URL'))),
  S3_REGION: text,
  S3_ACCESS_KEY_ID: text,
  S3_SECRET_ACCESS_KEY: text,
  BUCKETEER_BUCKET_NAME: text,
  BUCKETEER_AWS_REGION: text,
  BUCKETEER_AWS_ACCESS_KEY_ID: text,
  BUCKETEER_AWS_SECRET_ACCESS_KEY: text,
  FILES_DIR: text,
  FILE_STORAGE_DB_LIMIT_MB: v.optional(
    v.pipe(
      v.string(),
      v.regex(/^\d+$/, 'must be a whole number'),
      v.transform(Number),
      v.minValue(1, 'must be at least 1'),
      v.maxValue(1_000_000, 'must be at most 1000000'),
    ),
    '500',
  ),
})

export type StorageConfig =
  | {
      kind: 's3'
      bucket: string
      region: string
      endpoint: string | null
      accessKeyId: string | null
      secretAccessKey: string | null
    }
  | { kind: 'folder'; dir: string }
  | { kind: 'postgres'; limitBytes: number }

export function readStorage(
  e: v.InferOutput<typeof StorageEnvSchema>,
  database: { databaseUrl: string | null; pgliteDir: string },
): StorageConfig {
  const bucket = e.S3_BUCKET ?? e.BUCKETEER_BUCKET_NAME
  if (bucket) {
    return {
      kind: 's3',
      bucket,
      region: e.S3_REGION ?? e.BUCKETEER_AWS_REGION ?? 'us-east-1',
      endpoint: e.S3_ENDPOINT ?? null,
      accessKeyId: e.S3_ACCESS_KEY_ID ?? e.BUCKETEER_AWS_ACCESS_KEY_ID ?? null,
      secretAccessKey: e.S3_SECRET_ACCESS_KEY ?? e.BUCKETEER_AWS_SECRET_ACCESS_KEY ?? null,
    }
  }
  if (database.databaseUrl && !e.FILES_DIR) {
    return { kind: 'postgres', limitBytes: e.FILE_STORAGE_DB_LIMIT_MB * 1024 * 1024 }
  }
  return { kind: 'folder', dir: e.FILES_DIR ?? join(dirname(database.pgliteDir), 'files') }
}
