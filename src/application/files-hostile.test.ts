import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createTable } from '../datasource/tables.js'
import { folderStorage } from '../storage/folder.js'
import { postgresStorage } from '../storage/postgres.js'
import { apiRequest, tokenFor } from '../test/api.js'
import { createTestApp, signedInBrowser, type TestApp } from '../test/app.js'
import type { Browser } from '../test/browser.js'
import {
  bombPng,
  HTML_PAGE,
  makeImage,
  SVG_WITH_SCRIPT,
  storedKeys,
  uploadFromForm,
  zipFile,
} from '../test/files.js'
import { MAX_FILE_BYTES } from './files.js'

// Hostile uploads, on the embedded folder storage: nothing they send may run in our origin, be
// decoded past the pixel limit, or leave anything stored when it is refused.
let t: TestApp
let browser: Browser
let token: string
let row: number

beforeAll(async () => {
  t = await createTestApp()
  const signedIn = await signedInBrowser(t, 'mallory')
  browser = signedIn.browser
  token = await tokenFor(t, signedIn.user.id, ['read', 'write', 'schema'])
  await createTable(t.database.db, {
    ownerId: signedIn.user.id,
    name: 'Drop box',
    columns: [
      { name: 'Picture', type: 'image' },
      { name: 'Attachment', type: 'file' },
    ],
  })
  const res = await apiRequest(t, 'POST', '/mallory/tables/drop-box/rows', { token, body: {} })
  row = ((await res.json()) as { id: number }).id
})

afterAll(async () => {
  await t?.database.close()
})

const filePath = (column: string) => `/mallory/tables/drop-box/rows/${row}/files/${column}`

function put(column: string, bytes: Buffer | ReadableStream<Uint8Array>, name: string) {
  return t.app.request(`http://localhost/api/v1${filePath(column)}?name=${name}`, {
    method: 'PUT',
    body: bytes instanceof Buffer ? new Uint8Array(bytes) : bytes,
    headers: { authorization: `Bearer ${token}`, 'content-type': 'image/png' },
    ...(bytes instanceof Buffer ? {} : { duplex: 'half' }),
  } as RequestInit)
}

const download = (column: string) =>
  t.app.request(`http://localhost/api/v1${filePath(column)}`, {
    headers: { authorization: `Bearer ${token}` },
  })

describe('hostile files', () => {
  it.each([
    ['HTML named .png', HTML_PAGE, 'cat.png', 'not an image'],
    ['SVG with a script', SVG_WITH_SCRIPT, 'logo.svg', 'XML'],
    ['a zip named .jpg', zipFile(), 'photo.jpg', 'ZIP'],
  ])('an Image column refuses %s (415), storing nothing', async (_, bytes, name, found) => {
    const before = await storedKeys(t)
    const res = await put('picture', bytes, name)
    expect(res.status).toBe(415)
    expect(((await res.json()) as { detail: string }).detail).toContain(found)
    expect(await storedKeys(t)).toEqual(before)
  })

  it.each([
    ['HTML named .png', HTML_PAGE, 'cat.png', 'application/octet-stream'],
    ['SVG with a script', SVG_WITH_SCRIPT, 'logo.svg', 'application/xml'],
    ['a zip named .jpg', zipFile(), 'photo.jpg', 'application/zip'],
  ])(
    'a File column keeps %s, sniffed, and serves it only as a sandboxed download',
    async (_, bytes, name, type) => {
      const res = await put('attachment', bytes, name)
      expect(res.status).toBe(200)
      expect(await res.json()).toMatchObject({
        name,
        type,
        size: bytes.length,
        thumbnail_url: null,
      })
      const file = await download('attachment')
      expect(file.headers.get('content-type')).toBe('application/octet-stream')
      expect(file.headers.get('content-disposition')).toMatch(/^attachment; /)
      expect(file.headers.get('content-security-policy')).toBe("default-src 'none'; sandbox")
      expect(file.headers.get('x-content-type-options')).toBe('nosniff')
      expect(Buffer.from(await file.arrayBuffer()).equals(bytes)).toBe(true)
      // The page's own address for it answers the same.
      const page = await browser.request(`/mallory/tables/drop-box/${row}/files/attachment`)
      expect(page.headers.get('content-type')).toBe('application/octet-stream')
      expect(page.headers.get('content-security-policy')).toBe("default-src 'none'; sandbox")
    },
  )

  it.each(['picture', 'attachment'])(
    'refuses a 50,000 × 50,000 PNG (%s) before decoding it, storing nothing',
    async (column) => {
      const before = await storedKeys(t)
      const bomb = bombPng()
      expect(bomb.length).toBeLessThan(10_000)
      const res = await put(column, bomb, 'bomb.png')
      expect(res.status).toBe(400)
      expect(((await res.json()) as { detail: string }).detail).toBe(
        'This image is 50,000 × 50,000 pixels: at most 40 million pixels are accepted.',
      )
      expect(await storedKeys(t)).toEqual(before)
    },
  )

  it('refuses a damaged image (a PNG cut short), storing nothing', async () => {
    const before = await storedKeys(t)
    const png = await makeImage('png', 300, 300)
    const res = await put('picture', png.subarray(0, 60), 'cut.png')
    expect(res.status).toBe(400)
    expect(await storedKeys(t)).toEqual(before)
  })

  it.each([
    ['at the start', 0],
    ['midway', 200_000],
    ['past a megabyte', 1_100_000],
  ])('keeps nothing of an upload cut off %s', async (_, bytes) => {
    const before = await storedKeys(t)
    const png = Buffer.concat([await makeImage('png', 64, 64), Buffer.alloc(2_000_000)])
    let sent = 0
    const body = new ReadableStream<Uint8Array>({
      pull(controller) {
        if (sent >= bytes) return controller.error(new Error('connection reset'))
        const chunk = png.subarray(sent, Math.min(bytes, sent + 64 * 1024))
        sent += chunk.length
        controller.enqueue(new Uint8Array(chunk))
      },
    })
    const res = await put('attachment', body, 'cut.png')
    expect(res.status).toBe(400)
    expect(((await res.json()) as { detail: string }).detail).toContain('did not complete')
    expect(await storedKeys(t)).toEqual(before)
  })

  it('refuses a file over 25 MB (413), storing nothing', async () => {
    const before = await storedKeys(t)
    const res = await put('attachment', Buffer.alloc(MAX_FILE_BYTES + 1), 'big.bin')
    expect(res.status).toBe(413)
    expect(await storedKeys(t)).toEqual(before)
    // Over the route's body limit too: refused from Content-Length, before a byte is read.
    const huge = await put('attachment', Buffer.alloc(MAX_FILE_BYTES + 2 * 1024 * 1024), 'x')
    expect(huge.status).toBe(413)
  })

  it.each([['an empty file', Buffer.alloc(0), 400]])('refuses %s', async (_, bytes, status) => {
    expect((await put('attachment', bytes, 'empty')).status).toBe(status)
  })

  it('cleans the name a client gives', async () => {
    const res = await put(
      'attachment',
      Buffer.from('x'),
      encodeURIComponent('../../etc/pa\u0000ss\nwd'),
    )
    expect(((await res.json()) as { name: string }).name).toBe('passwd')
    const file = await download('attachment')
    expect(file.headers.get('content-disposition')).toBe(
      `attachment; filename="passwd"; filename*=UTF-8''passwd`,
    )
  })

  it.each([
    ['a text value', { picture: 'https://example.com/cat.png' }],
    [
      'a forged reference',
      { picture: { key: 'AAAAAAAAAAAAAAAAAAAAAAAA', name: 'x', type: 'image/png', size: 1 } },
    ],
  ])('refuses %s written into a file cell as a row value', async (_, body) => {
    const res = await apiRequest(t, 'PATCH', `/mallory/tables/drop-box/rows/${row}`, {
      token,
      body,
    })
    expect(res.status).toBe(400)
  })

  it('shows a refused file beside its field on the edit form', async () => {
    await browser.get(`/mallory/tables/drop-box/${row}/edit`)
    const path = `/mallory/tables/drop-box/${row}/files/picture`
    const res = await uploadFromForm(browser, path, { bytes: HTML_PAGE, name: 'cat.png' })
    expect(res.status).toBe(415)
    const html = await res.text()
    expect(html).toContain('Please correct the marked fields.')
    expect(html).toContain(
      '<p class="field__error" id="field-picture-error">An Image column takes JPEG, PNG, WebP, GIF or AVIF files; this file is not an image.</p>',
    )
    expect(html).toContain('aria-invalid="true" aria-describedby="field-picture-error"')
  })

  it('refuses a form upload without a file, and one that is not multipart', async () => {
    await browser.get(`/mallory/tables/drop-box/${row}/edit`)
    const path = `/mallory/tables/drop-box/${row}/files/picture`
    const empty = await browser.request(`${path}?_csrf=${browser.csrfToken}`, {
      method: 'POST',
      body: new FormData(),
      headers: { origin: 'http://localhost' },
    })
    expect(empty.status).toBe(400)
    expect((await browser.post(path, { file: 'x' })).status).toBe(400)
    const wrong = await uploadFromForm(browser, `/mallory/tables/drop-box/${row}/files/nothing`, {
      bytes: Buffer.from('x'),
      name: 'x',
    })
    expect(wrong.status).toBe(404)
  })

  it('refuses an upload by someone else (403) and without the CSRF token (403)', async () => {
    const other = await signedInBrowser(t, 'eve')
    await other.browser.get('/')
    const png = await makeImage('png', 10, 10)
    const path = `/mallory/tables/drop-box/${row}/files/picture`
    expect((await uploadFromForm(other.browser, path, { bytes: png, name: 'x.png' })).status).toBe(
      403,
    )
    const noToken = await browser.request(path, {
      method: 'POST',
      body: new FormData(),
      headers: { origin: 'http://localhost' },
    })
    expect(noToken.status).toBe(403)
  })
})

describe('odd requests', () => {
  const url = () => `http://localhost/api/v1${filePath('attachment')}`
  const auth = () => ({ authorization: `Bearer ${token}` })

  it.each([
    ['a Content-Disposition filename*', `attachment; filename*=UTF-8''k%C3%A9a.txt`, 'kéa.txt'],
    [
      'a bad filename* falls back to filename',
      `attachment; filename*=UTF-8''%E0%A4%A; filename="b.txt"`,
      'b.txt',
    ],
    ['a plain filename', 'attachment; filename=plain.txt', 'plain.txt'],
    ['no name at all', '', 'file'],
  ])('names a raw upload from %s', async (_, header, name) => {
    const res = await t.app.request(url(), {
      method: 'PUT',
      body: 'hello',
      headers: { ...auth(), ...(header ? { 'content-disposition': header } : {}) },
    })
    expect(((await res.json()) as { name: string }).name).toBe(name)
  })

  it.each([
    ['no body', undefined, {}],
    ['multipart without a boundary', 'x', { 'content-type': 'multipart/form-data' }],
    [
      'multipart without a file part',
      '--b\r\nContent-Disposition: form-data; name="note"\r\n\r\nhi\r\n--b--\r\n',
      { 'content-type': 'multipart/form-data; boundary=b' },
    ],
    [
      'multipart cut off inside the file',
      '--b\r\nContent-Disposition: form-data; name="file"; filename="a.txt"\r\n\r\nhalf a fi',
      { 'content-type': 'multipart/form-data; boundary=b' },
    ],
  ])('refuses %s (400), storing nothing', async (_, body, headers) => {
    const before = await storedKeys(t)
    const res = await t.app.request(url(), {
      method: 'PUT',
      body,
      headers: { ...auth(), ...headers },
    })
    expect(res.status).toBe(400)
    expect(await storedKeys(t)).toEqual(before)
  })

  it('takes the part named file, skipping others', async () => {
    const form = new FormData()
    form.set('other', new Blob(['not this']), 'other.txt')
    form.set('file', new Blob(['this one']), 'this.txt')
    const res = await t.app.request(url(), { method: 'PUT', body: form, headers: auth() })
    expect(await res.json()).toMatchObject({ name: 'this.txt', size: 8 })
  })

  it('keeps nothing of a multipart upload cut off midway from the row form', async () => {
    await browser.get(`/mallory/tables/drop-box/${row}/edit`)
    const before = await storedKeys(t)
    const head = new TextEncoder().encode(
      '--b\r\nContent-Disposition: form-data; name="file"; filename="a.bin"\r\n\r\n',
    )
    let sent = 0
    const body = new ReadableStream<Uint8Array>({
      pull(controller) {
        if (sent === 0) controller.enqueue(head)
        else if (sent < 10) controller.enqueue(new Uint8Array(100_000))
        else controller.error(new Error('connection reset'))
        sent++
      },
    })
    const res = await browser.request(
      `/mallory/tables/drop-box/${row}/files/attachment?_csrf=${browser.csrfToken}`,
      {
        method: 'POST',
        body,
        headers: { origin: 'http://localhost', 'content-type': 'multipart/form-data; boundary=b' },
        duplex: 'half',
      } as RequestInit,
    )
    expect(res.status).toBe(400)
    expect(await storedKeys(t)).toEqual(before)
  })

  it('refuses an image whose pixels are damaged though its header is sound', async () => {
    const before = await storedKeys(t)
    const res = await put('picture', bombPng(400, 400), 'damaged.png')
    expect(res.status).toBe(400)
    expect(await storedKeys(t)).toEqual(before)
  })

  it('answers 404 for a file whose object is missing from storage, and for a missing row', async () => {
    await put('attachment', Buffer.from('soon gone'), 'gone.txt')
    await t.storage.delete(await storedKeys(t))
    expect((await download('attachment')).status).toBe(404)
    const missing = await apiRequest(
      t,
      'DELETE',
      '/mallory/tables/drop-box/rows/999/files/picture',
      {
        token,
      },
    )
    expect(missing.status).toBe(404)
  })
})

describe('file columns', () => {
  it.each([
    [{ name: 'Scan', type: 'file', required: true }, 'required'],
    [{ name: 'Scan', type: 'image', unique: true }, 'unique'],
    [{ name: 'Scan', type: 'file', default: 'x' }, 'default'],
  ])('refuses a file column made %j', async (body, field) => {
    const res = await apiRequest(t, 'POST', '/mallory/tables/drop-box/columns', { token, body })
    expect(res.status).toBe(400)
    expect(JSON.stringify(await res.json())).toContain(field)
  })

  it.each([
    ['picture', 'text'],
    ['attachment', 'image'],
  ])('refuses to retype %s as %s', async (slug, type) => {
    const res = await apiRequest(t, 'PATCH', `/mallory/tables/drop-box/columns/${slug}`, {
      token,
      body: { type },
    })
    expect(res.status).toBe(400)
    expect(((await res.json()) as { detail: string }).detail).toContain('cannot change type')
  })

  it('adds a file column to a table with rows, which takes uploads at once', async () => {
    const res = await apiRequest(t, 'POST', '/mallory/tables/drop-box/columns', {
      token,
      body: { name: 'Scan', type: 'file' },
    })
    expect(res.status).toBe(201)
    const before = await storedKeys(t)
    expect((await put('scan', Buffer.from('scanned'), 'scan.txt')).status).toBe(200)
    expect((await storedKeys(t)).length).toBe(before.length + 1)
    await apiRequest(t, 'PATCH', `/mallory/tables/drop-box/rows/${row}`, {
      token,
      body: { scan: null },
    })
    expect(await storedKeys(t)).toEqual(before)
  })

  it('asks for the row to be saved before its file is added, on the new-row form', async () => {
    const { html } = await browser.get('/mallory/tables/drop-box/new')
    expect(html).toContain('Save the row first, then add its file here.')
    expect(html).not.toContain('enctype="multipart/form-data"')
  })

  it('sorts by file name', async () => {
    const res = await apiRequest(t, 'GET', '/mallory/tables/drop-box/rows?order=-attachment', {
      token,
    })
    expect(res.status).toBe(200)
  })
})

describe('a storage that fails', () => {
  it('answers 500 and changes nothing when storage cannot take the file', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'hostedapi-broken-'))
    const notAFolder = join(dir, 'file')
    await writeFile(notAFolder, 'x')
    const broken = await createTestApp({ storage: () => folderStorage(notAFolder) })
    try {
      const { user } = await signedInBrowser(broken, 'pat')
      const key = await tokenFor(broken, user.id, ['read', 'write'])
      await createTable(broken.database.db, {
        ownerId: user.id,
        name: 'Docs',
        columns: [{ name: 'Doc', type: 'file' }],
      })
      await apiRequest(broken, 'POST', '/pat/tables/docs/rows', { token: key, body: {} })
      const res = await apiRequest(broken, 'PUT', '/pat/tables/docs/rows/1/files/doc', {
        token: key,
        body: new Uint8Array(10),
      })
      expect(res.status).toBe(500)
      const row = await apiRequest(broken, 'GET', '/pat/tables/docs/rows/1', { token: key })
      expect(((await row.json()) as { values: unknown }).values).toEqual({ doc: null })
    } finally {
      await broken.database.close()
      await rm(dir, { recursive: true, force: true })
    }
  })
})

describe('files in Postgres', () => {
  it('round-trips an image and its thumbnail, and deletes them with the row', async () => {
    const p = await createTestApp({ storage: (database) => postgresStorage(database.db, 1 << 30) })
    try {
      const { user } = await signedInBrowser(p, 'pat')
      const key = await tokenFor(p, user.id, ['read', 'write'])
      await createTable(p.database.db, {
        ownerId: user.id,
        name: 'Pics',
        columns: [{ name: 'Pic', type: 'image' }],
      })
      await apiRequest(p, 'POST', '/pat/tables/pics/rows', { token: key, body: {} })
      const png = await makeImage('avif', 50, 40)
      const res = await p.app.request('http://localhost/api/v1/pat/tables/pics/rows/1/files/pic', {
        method: 'PUT',
        body: new Uint8Array(png),
        headers: {
          authorization: `Bearer ${key}`,
          'content-disposition': 'attachment; filename="a.avif"',
        },
      })
      expect(await res.json()).toMatchObject({ name: 'a.avif', type: 'image/avif', width: 50 })
      expect((await p.storage.list()).length).toBe(2)
      const file = await apiRequest(p, 'GET', '/pat/tables/pics/rows/1/files/pic', { token: key })
      expect(Buffer.from(await file.arrayBuffer()).equals(png)).toBe(true)
      await apiRequest(p, 'DELETE', '/pat/tables/pics/rows/1', { token: key })
      expect(await p.storage.list()).toEqual([])
    } finally {
      await p.database.close()
    }
  })

  it('refuses files past its stated total (409), storing nothing', async () => {
    const p = await createTestApp({ storage: (database) => postgresStorage(database.db, 1000) })
    try {
      const { user } = await signedInBrowser(p, 'pat')
      const key = await tokenFor(p, user.id, ['read', 'write'])
      await createTable(p.database.db, {
        ownerId: user.id,
        name: 'Docs',
        columns: [{ name: 'Doc', type: 'file' }],
      })
      await apiRequest(p, 'POST', '/pat/tables/docs/rows', { token: key, body: {} })
      const res = await apiRequest(p, 'PUT', '/pat/tables/docs/rows/1/files/doc', {
        token: key,
        body: new Uint8Array(2000),
      })
      expect(res.status).toBe(409)
      expect(((await res.json()) as { detail: string }).detail).toContain('is full')
      expect(await p.storage.list()).toEqual([])
    } finally {
      await p.database.close()
    }
  })
})
