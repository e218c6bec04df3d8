// S3-compatible object storage (AWS, Bucketeer, MinIO…) through the AWS SDK, uploads streamed in
// parts of a few MB, so no file is ever held whole in memory.
import type { Readable } from 'node:stream'
import {
  DeleteObjectsCommand,
  GetObjectCommand,
  ListObjectsV2Command,
  NoSuchKey,
  S3Client,
} from '@aws-sdk/client-s3'
import { Upload } from '@aws-sdk/lib-storage'
import { isKey, keyFor, limited, type Storage } from './storage.js'

export interface S3Settings {
  bucket: string
  region: string
  endpoint: string | null
  accessKeyId: string | null
  secretAccessKey: string | null
  // Every key is under this prefix, so the app can share a bucket (Bucketeer's is one per app).
  prefix: string
}

export function s3Storage(settings: S3Settings): Storage {
  const client = new S3Client({
    region: settings.region,
    ...(settings.endpoint ? { endpoint: settings.endpoint, forcePathStyle: true } : {}),
    ...(settings.accessKeyId && settings.secretAccessKey
      ? {
          credentials: {
            accessKeyId: settings.accessKeyId,
            secretAccessKey: settings.secretAccessKey,
          },
        }
      : {}),
    // Checksums only where S3 requires them: the streamed trailing checksums of newer SDKs are not
    // understood by every S3-compatible server.
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
  })
  const Bucket = settings.bucket
  const objectKey = (key: string) => `${settings.prefix}${key}`
  return {
    kind: 's3',
    async put(body: Readable, options) {
      const key = keyFor(options)
      const counter = limited(body, options.maxBytes)
      const upload = new Upload({
        client,
        params: { Bucket, Key: objectKey(key), Body: counter },
        // At most two 5 MB parts in memory; a failed multipart upload is aborted (no parts left).
        queueSize: 2,
        leavePartsOnError: false,
      })
      await upload.done()
      return { key, size: counter.bytes }
    },
    async get(key) {
      if (!isKey(key)) return null
      try {
        const object = await client.send(new GetObjectCommand({ Bucket, Key: objectKey(key) }))
        return object.Body as Readable
      } catch (error) {
        if (error instanceof NoSuchKey) return null
        throw error
      }
    },
    async delete(keys) {
      const valid = keys.filter(isKey)
      for (let i = 0; i < valid.length; i += 1000) {
        const Objects = valid.slice(i, i + 1000).map((key) => ({ Key: objectKey(key) }))
        await client.send(new DeleteObjectsCommand({ Bucket, Delete: { Objects, Quiet: true } }))
      }
    },
    async list() {
      const keys: string[] = []
      let ContinuationToken: string | undefined
      do {
        const page = await client.send(
          new ListObjectsV2Command({ Bucket, Prefix: settings.prefix, ContinuationToken }),
        )
        for (const object of page.Contents ?? []) {
          keys.push((object.Key as string).slice(settings.prefix.length))
        }
        ContinuationToken = page.NextContinuationToken
      } while (ContinuationToken)
      return keys.sort()
    },
    close: async () => client.destroy(),
  }
}
