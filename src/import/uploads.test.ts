import { mkdtemp, readdir, rm, utimes, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import {
  findUpload,
  KEEP_MS,
  MAX_UPLOAD_BYTES,
  removeExpiredUploads,
  saveUpload,
  startUploadSweeper,
  stopUploadSweeper,
  TOO_LARGE,
  UploadError,
  type UploadSettings,
} from './uploads.js'

let dir: string
let settings: UploadSettings
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'uploads-test-'))
  settings = { dir, maxPending: 3, maxPendingBytes: 1024 * 1024 }
})
afterEach(async () => {
  stopUploadSweeper(dir)
  await rm(dir, { recursive: true, force: true })
})

const csvForm = (content: string, filename = 'birds.csv') => {
  const form = new FormData()
  form.append('file', new Blob([content], { type: 'text/csv' }), filename)
  return form
}
const post = (body: BodyInit, headers: Record<string, string> = {}) =>
  new Request('http://localhost/', { method: 'POST', body, headers })
const upload = (userId: number, content = 'bird\nWren\n') =>
  saveUpload(post(csvForm(content)), userId, settings)
const files = async () => (await readdir(dir)).sort()

async function refusal(promise: Promise<unknown>): Promise<UploadError> {
  const error = await promise.then(
    () => null,
    (caught: unknown) => caught,
  )
  expect(error).toBeInstanceOf(UploadError)
  return error as UploadError
}

describe('saving an upload', () => {
  it('keeps the file and its name for the review step', async () => {
    const saved = await upload(7)
    expect(saved.id).toMatch(/^7-[\w-]{16}$/)
    expect(await findUpload(saved.id, 7, dir)).toMatchObject({ filename: 'birds.csv' })
    expect(await findUpload(saved.id, 8, dir)).toBeNull()
  })

  it('refuses a file whose Content-Length is too big before reading a byte of it', async () => {
    let pulled = false
    const body = new ReadableStream<Uint8Array>(
      {
        pull() {
          pulled = true
        },
      },
      // Pulled only when someone reads.
      { highWaterMark: 0 },
    )
    const request = new Request('http://localhost/', {
      method: 'POST',
      body,
      duplex: 'half',
      headers: {
        'content-type': 'multipart/form-data; boundary=x',
        'content-length': String(MAX_UPLOAD_BYTES + 1024 * 1024),
      },
    } as RequestInit)
    const error = await refusal(saveUpload(request, 7, settings))
    expect([error.status, error.message]).toEqual([413, TOO_LARGE])
    expect(pulled).toBe(false)
    expect(await files()).toEqual([])
  })

  it('stops reading a file at the limit and leaves nothing behind', async () => {
    const encoder = new TextEncoder()
    const chunk = new Uint8Array(4 * 1024 * 1024).fill(0x61)
    let sent = 0
    const body = new ReadableStream<Uint8Array>({
      start(controller) {
        controller.enqueue(
          encoder.encode(
            '--x\r\nContent-Disposition: form-data; name="file"; filename="a.csv"\r\n\r\n',
          ),
        )
      },
      pull(controller) {
        // An endless file: only stopping at the limit ends this test.
        sent += chunk.length
        controller.enqueue(chunk)
      },
    })
    const request = new Request('http://localhost/', {
      method: 'POST',
      body,
      duplex: 'half',
      headers: { 'content-type': 'multipart/form-data; boundary=x' },
    } as RequestInit)
    const error = await refusal(saveUpload(request, 7, settings))
    expect([error.status, error.message]).toEqual([413, TOO_LARGE])
    expect(sent).toBeLessThan(MAX_UPLOAD_BYTES + 3 * chunk.length)
    expect(await files()).toEqual([])
  })

  it.each([
    ['no boundary', 'multipart/form-data', '--x\r\n', 'no boundary'],
    [
      'a body cut short',
      'multipart/form-data; boundary=x',
      '--x\r\nContent-Disposition: form-data; name="file"; filename="a.csv"\r\n\r\nbird\nWr',
      'did not complete',
    ],
    [
      'a body that is not multipart at all',
      'multipart/form-data; boundary=x',
      'hello',
      'did not complete',
    ],
  ])('answers a multipart body with %s with a 400', async (_case, type, body, message) => {
    const error = await refusal(saveUpload(post(body, { 'content-type': type }), 7, settings))
    expect(error.status).toBe(400)
    expect(error.message).toContain(message)
    expect(await files()).toEqual([])
  })
})

describe('uploads waiting for review', () => {
  it('keeps at most maxPending per user, replacing the oldest', async () => {
    const first = await upload(7)
    await upload(7)
    await upload(7)
    const other = await upload(8)
    await utimes(first.path, new Date(Date.now() - 5000), new Date(Date.now() - 5000))
    const fourth = await upload(7)
    expect(await findUpload(first.id, 7, dir)).toBeNull()
    expect(await findUpload(fourth.id, 7, dir)).not.toBeNull()
    expect(await findUpload(other.id, 8, dir)).not.toBeNull()
    expect(
      (await files()).filter((name) => name.startsWith('7-') && name.endsWith('.csv')),
    ).toHaveLength(3)
  })

  it('keeps at most maxPendingBytes per user, counting the new upload', async () => {
    const big = 'x'.repeat(400 * 1024)
    const first = await upload(9, big)
    await utimes(first.path, new Date(Date.now() - 5000), new Date(Date.now() - 5000))
    const second = await upload(9, big)
    // Two of 400 KB fit in 1 MB; a third makes room by removing the oldest.
    expect(await findUpload(first.id, 9, dir)).not.toBeNull()
    const third = await upload(9, big)
    expect(await findUpload(first.id, 9, dir)).toBeNull()
    expect(await findUpload(second.id, 9, dir)).not.toBeNull()
    expect(await findUpload(third.id, 9, dir)).not.toBeNull()
  })

  it('makes room after a chunked upload, whose size was not known before', async () => {
    const big = 'x'.repeat(400 * 1024)
    const first = await upload(10, big)
    const second = await upload(10, big)
    await utimes(first.path, new Date(Date.now() - 9000), new Date(Date.now() - 9000))
    await utimes(second.path, new Date(Date.now() - 5000), new Date(Date.now() - 5000))
    // The same multipart body as a stream, so without a Content-Length.
    const body = await new Response(csvForm(big)).text()
    const boundary = /^--(.*)\r\n/.exec(body)?.[1]
    const third = await saveUpload(
      new Request('http://localhost/', {
        method: 'POST',
        body: new Blob([body]).stream(),
        duplex: 'half',
        headers: { 'content-type': `multipart/form-data; boundary=${boundary}` },
      } as RequestInit),
      10,
      settings,
    )
    expect(await findUpload(first.id, 10, dir)).toBeNull()
    expect(await findUpload(second.id, 10, dir)).not.toBeNull()
    expect(await findUpload(third.id, 10, dir)).not.toBeNull()
  })
})

describe('expired uploads', () => {
  const age = async (path: string, ms: number) => {
    const then = new Date(Date.now() - ms)
    await utimes(path, then, then)
    await utimes(`${path}.json`, then, then)
  }

  it('are gone for the review step as soon as they expire', async () => {
    const saved = await upload(7)
    await age(saved.path, KEEP_MS + 1000)
    expect(await findUpload(saved.id, 7, dir)).toBeNull()
    expect(await files()).toEqual([])
  })

  it('are swept from the folder on a timer, with no upload needed', async () => {
    const old = await upload(7)
    const fresh = await upload(7)
    await age(old.path, KEEP_MS + 1000)
    await writeFile(join(dir, 'stray.tmp'), 'left by a crash')
    await utimes(join(dir, 'stray.tmp'), new Date(0), new Date(0))
    vi.useFakeTimers({ toFake: ['setInterval'] })
    try {
      startUploadSweeper(dir, 1000)
      startUploadSweeper(dir, 1000)
      vi.advanceTimersByTime(1000)
    } finally {
      vi.useRealTimers()
    }
    await vi.waitFor(async () => {
      expect(await files()).toEqual([`${fresh.id}.csv`, `${fresh.id}.csv.json`].sort())
    })
  })

  it('are counted when swept by hand', async () => {
    const old = await upload(7)
    await age(old.path, KEEP_MS + 1000)
    expect(await removeExpiredUploads(dir)).toBe(2)
    expect(await removeExpiredUploads(join(dir, 'missing'))).toBe(0)
  })
})
