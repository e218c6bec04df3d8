import { mkdir, utimes, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { MAX_UPLOAD_BYTES } from '../../import/uploads.js'
import { createTestApp, signedInBrowser, type TestApp } from '../../test/app.js'
import type { Browser } from '../../test/browser.js'

let t: TestApp
let alice: Browser
let aliceId: number
beforeAll(async () => {
  t = await createTestApp()
  ;({
    browser: alice,
    user: { id: aliceId },
  } = await signedInBrowser(t, 'alice'))
  await signedInBrowser(t, 'bob')
})
afterAll(() => t.database.close())

const ORIGIN = { origin: 'http://localhost' }
const withToken = (path: string) => `${path}?_csrf=${encodeURIComponent(alice.csrfToken)}`

// Posts a multipart form the way the upload page does (the CSRF token in the URL).
async function send(page: string, form: FormData) {
  await alice.get(page)
  return alice.request(withToken(page), { method: 'POST', body: form, headers: ORIGIN })
}
const csvFile = (content: string) => new Blob([content], { type: 'text/csv' })

const inputValue = (html: string, name: string) =>
  new RegExp(`<input[^>]*\\bname="${name}"[^>]*\\bvalue="([^"]*)"`).exec(html)?.[1] ?? null
const alert = (html: string) =>
  /<p class="alert alert--error" role="alert">([^<]*)<\/p>/.exec(html)?.[1] ?? null

describe('uploading a file', () => {
  it.each([
    ['a form that is not multipart', () => new URLSearchParams({ note: 'no file' })],
    [
      'a form with no file in it',
      () => {
        const form = new FormData()
        form.append('note', 'no file')
        return form
      },
    ],
    ['a body with no content type', () => new TextEncoder().encode('a\n1\n')],
    [
      'a file sent under another name',
      () => {
        const form = new FormData()
        form.append('attachment', csvFile('a\n1\n'), 'a.csv')
        return form
      },
    ],
  ])('asks for a file after %s', async (_case, body) => {
    await alice.get('/alice/tables/import')
    const res = await alice.request(withToken('/alice/tables/import'), {
      method: 'POST',
      body: body(),
      headers: ORIGIN,
    })
    expect(res.status).toBe(400)
    expect(alert(await res.text())).toBe('Choose a CSV file to upload.')
  })

  it('takes the first file, ignoring a second one and other fields', async () => {
    const form = new FormData()
    form.append('note', 'hello')
    form.append('file', csvFile('bird\nWren\nRobin\n'), 'birds.csv')
    form.append('file', csvFile('fish\nCod\n'), 'fish.csv')
    const res = await send('/alice/tables/import', form)
    expect(res.status).toBe(303)
    const { html } = await alice.get(res.headers.get('location') ?? '')
    expect(html).toContain('<strong>birds.csv</strong> · 2 rows')
    expect(inputValue(html, 'name0')).toBe('bird')
  })

  it('refuses a file over 200 MB, pointing to scripts/import', async () => {
    await alice.get('/alice/tables/import')
    const encoder = new TextEncoder()
    const megabyte = new Uint8Array(1024 * 1024).fill(0x61)
    let sent = 0
    const body = new ReadableStream<Uint8Array>({
      start(controller) {
        controller.enqueue(
          encoder.encode(
            '--big\r\nContent-Disposition: form-data; name="file"; filename="big.csv"\r\n\r\na\n',
          ),
        )
      },
      pull(controller) {
        if (sent > MAX_UPLOAD_BYTES) {
          controller.enqueue(encoder.encode('\r\n--big--\r\n'))
          controller.close()
        } else {
          controller.enqueue(megabyte)
          sent += megabyte.length
        }
      },
    })
    const res = await alice.request(withToken('/alice/tables/import'), {
      method: 'POST',
      body,
      duplex: 'half',
      headers: { ...ORIGIN, 'content-type': 'multipart/form-data; boundary=big' },
    } as RequestInit)
    expect(res.status).toBe(413)
    expect(alert(await res.text())).toBe(
      'The file is larger than 200 MB: use scripts/import for big files.',
    )
  })

  it('refuses a file over 200 MB from its Content-Length, on the upload page', async () => {
    await alice.get('/alice/tables/import')
    const res = await alice.request(withToken('/alice/tables/import'), {
      method: 'POST',
      body: '--big\r\n',
      headers: {
        ...ORIGIN,
        'content-type': 'multipart/form-data; boundary=big',
        'content-length': String(MAX_UPLOAD_BYTES + 100 * 1024),
      },
    })
    expect(res.status).toBe(413)
    const html = await res.text()
    expect(alert(html)).toBe('The file is larger than 200 MB: use scripts/import for big files.')
    expect(html).toContain('type="file"')
  })

  it('refuses an upload into another user’s account', async () => {
    await alice.get('/alice/tables/import')
    const form = new FormData()
    form.append('file', csvFile('a\n1\n'), 'a.csv')
    const res = await alice.request(`/bob/tables/import?_csrf=${alice.csrfToken}`, {
      method: 'POST',
      body: form,
      headers: ORIGIN,
    })
    expect(res.status).toBe(403)
    expect(await res.text()).toContain('You can only import into tables of your own.')
  })

  it('forgets an upload left for over an hour', async () => {
    const id = `${aliceId}-LeftOverUpload00`
    const path = join(t.config.uploadDir, `${id}.csv`)
    await mkdir(t.config.uploadDir, { recursive: true })
    await writeFile(path, 'a\n1\n')
    await writeFile(`${path}.json`, JSON.stringify({ filename: 'old.csv', fields: {} }))
    const twoHoursAgo = new Date(Date.now() - 2 * 60 * 60 * 1000)
    await utimes(path, twoHoursAgo, twoHoursAgo)
    await utimes(`${path}.json`, twoHoursAgo, twoHoursAgo)
    const { res, html } = await alice.get(`/alice/tables/import/${id}`)
    expect(res.status).toBe(404)
    expect(html).toContain('This upload has expired. Please upload the file again.')
  })

  it('takes a file part sent without a file name', async () => {
    await alice.get('/alice/tables/import')
    const body = [
      '--b0undary',
      'Content-Disposition: form-data; name="file"',
      'Content-Type: application/octet-stream',
      '',
      'bird\nWren\n',
      '--b0undary--',
      '',
    ].join('\r\n')
    const res = await alice.request(withToken('/alice/tables/import'), {
      method: 'POST',
      body,
      headers: { ...ORIGIN, 'content-type': 'multipart/form-data; boundary=b0undary' },
    })
    expect(res.status).toBe(303)
    const { html } = await alice.get(res.headers.get('location') ?? '')
    expect(html).toContain('1 row')
    expect(inputValue(html, 'name')).toBe('Imported table')
    expect(inputValue(html, 'name0')).toBe('bird')
  })
})
