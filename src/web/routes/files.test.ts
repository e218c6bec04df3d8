import { sql } from 'kysely'
import sharp from 'sharp'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createTable } from '../../datasource/tables.js'
import type { TableInfo } from '../../datasource/types.js'
import { apiRequest, tokenFor } from '../../test/api.js'
import { createTestApp, signedInBrowser, type TestApp } from '../../test/app.js'
import type { Browser } from '../../test/browser.js'
import { makeImage, storedKeys, uploadFromForm } from '../../test/files.js'
import { type S3Server, startS3Server } from '../../test/s3-server.js'

// Round trips through the pages and the API on S3 storage (a real s3rver), counting the objects
// left in the bucket as rows, columns and tables go.
let s3: S3Server
let t: TestApp
let browser: Browser
let userId: number
let token: string

beforeAll(async () => {
  s3 = await startS3Server()
  t = await createTestApp({ env: s3.env })
  const signedIn = await signedInBrowser(t, 'ada')
  browser = signedIn.browser
  userId = signedIn.user.id
  token = await tokenFor(t, userId, ['read', 'write', 'schema'])
})

afterAll(async () => {
  await t?.database.close()
  await s3?.close()
})

let n = 0
async function photoTable(): Promise<TableInfo> {
  return createTable(t.database.db, {
    ownerId: userId,
    name: `Animals ${++n}`,
    isPublic: false,
    columns: [
      { name: 'Name', type: 'text' },
      { name: 'Photo', type: 'image' },
      { name: 'Papers', type: 'file' },
    ],
  })
}

async function addRow(table: TableInfo, name = 'Wren'): Promise<number> {
  const res = await apiRequest(t, 'POST', `/ada/tables/${table.slug}/rows`, {
    token,
    body: { name },
  })
  expect(res.status).toBe(201)
  return ((await res.json()) as { id: number }).id
}

const putFile = (table: TableInfo, row: number, column: string, bytes: Buffer, name: string) =>
  apiRequest(t, 'PUT', `/ada/tables/${table.slug}/rows/${row}/files/${column}?name=${name}`, {
    token,
    body: new Uint8Array(bytes),
    headers: { 'content-type': 'application/octet-stream' },
  })

describe('files on S3 storage', () => {
  it('uses the S3 backend', () => {
    expect(t.storage.kind).toBe('s3')
  })

  it('uploads an image from the row form; the grid shows its thumbnail, the row page the image', async () => {
    const table = await photoTable()
    const row = await addRow(table)
    const base = `/ada/tables/${table.slug}`
    const { html: form } = await browser.get(`${base}/${row}/edit`)
    expect(form).toContain(`action="${base}/${row}/files/photo?_csrf=`)
    expect(form).toContain('enctype="multipart/form-data"')
    const png = await makeImage('png', 800, 600)
    const res = await uploadFromForm(browser, `${base}/${row}/files/photo`, {
      bytes: png,
      name: 'wren.png',
    })
    expect(res.status).toBe(303)
    expect(res.headers.get('location')).toBe(`${base}/${row}/edit`)

    const { html: grid } = await browser.get(base)
    expect(grid).toContain(`<img src="${base}/${row}/files/photo/thumbnail" alt="wren.png"`)
    const { html: page } = await browser.get(`${base}/${row}`)
    expect(page).toContain(`<img class="file-image" src="${base}/${row}/files/photo"`)
    expect(page).toContain('800 × 600 pixels')

    const file = await browser.request(`${base}/${row}/files/photo`)
    expect(file.status).toBe(200)
    expect(file.headers.get('content-type')).toBe('image/png')
    expect(file.headers.get('content-security-policy')).toBe("default-src 'none'; sandbox")
    expect(file.headers.get('x-content-type-options')).toBe('nosniff')
    expect(file.headers.get('content-disposition')).toBe(
      `inline; filename="wren.png"; filename*=UTF-8''wren.png`,
    )
    expect(Buffer.from(await file.arrayBuffer()).equals(png)).toBe(true)

    const thumb = await browser.request(`${base}/${row}/files/photo/thumbnail`)
    expect(thumb.headers.get('content-type')).toBe('image/webp')
    const meta = await sharp(Buffer.from(await thumb.arrayBuffer())).metadata()
    expect([meta.format, meta.width, meta.height]).toEqual(['webp', 320, 240])
    // The file and its thumbnail.
    const etag = file.headers.get('etag') ?? ''
    const again = await browser.request(`${base}/${row}/files/photo`, {
      headers: { 'if-none-match': etag },
    })
    expect(again.status).toBe(304)
    const head = await browser.request(`${base}/${row}/files/photo`, { method: 'HEAD' })
    expect([head.status, head.headers.get('content-length')]).toEqual([200, String(png.length)])
    expect(head.headers.get('content-security-policy')).toBe("default-src 'none'; sandbox")
  })

  it('puts a file through the API; rows give name, type, size, url and thumbnail_url', async () => {
    const table = await photoTable()
    const row = await addRow(table)
    const jpeg = await makeImage('jpeg', 100, 50)
    const res = await putFile(table, row, 'photo', jpeg, 'k%C3%A9a.jpg')
    expect(res.status).toBe(200)
    const url = `http://localhost/api/v1/ada/tables/${table.slug}/rows/${row}/files/photo`
    const expected = {
      name: 'kéa.jpg',
      type: 'image/jpeg',
      size: jpeg.length,
      width: 100,
      height: 50,
      url,
      thumbnail_url: `${url}/thumbnail`,
    }
    expect(await res.json()).toEqual(expected)
    const read = await apiRequest(t, 'GET', `/ada/tables/${table.slug}/rows/${row}`, { token })
    const body = (await read.json()) as { values: Record<string, unknown> }
    expect(body.values).toEqual({ name: 'Wren', photo: expected, papers: null })
    const file = await apiRequest(t, 'GET', `/ada/tables/${table.slug}/rows/${row}/files/photo`, {
      token,
    })
    expect(file.headers.get('content-disposition')).toBe(
      `inline; filename="k_a.jpg"; filename*=UTF-8''k%C3%A9a.jpg`,
    )
    expect(Buffer.from(await file.arrayBuffer()).equals(jpeg)).toBe(true)
    // Multipart through the API too, into a File column: no thumbnail for a PDF-less blob.
    const form = new FormData()
    form.set('file', new Blob(['just some notes\n']), 'notes.txt')
    const multipart = await t.app.request(
      `http://localhost/api/v1/ada/tables/${table.slug}/rows/${row}/files/papers`,
      { method: 'PUT', body: form, headers: { authorization: `Bearer ${token}` } },
    )
    expect(await multipart.json()).toMatchObject({
      name: 'notes.txt',
      type: 'application/octet-stream',
      size: 16,
      thumbnail_url: null,
    })
    // The uploads' reservations went with their commits: nothing stored is queued for deletion.
    const queued = await sql`select key from file_deletions`.execute(t.database.db)
    expect(queued.rows).toEqual([])
  })

  it('keeps a file when a row is edited without it, and replaces the old file on a new upload', async () => {
    const table = await photoTable()
    const row = await addRow(table)
    const before = (await storedKeys(t)).length
    await putFile(table, row, 'photo', await makeImage('png', 20, 20), 'a.png')
    expect((await storedKeys(t)).length).toBe(before + 2)
    const patched = await apiRequest(t, 'PATCH', `/ada/tables/${table.slug}/rows/${row}`, {
      token,
      body: { name: 'Robin' },
    })
    expect(((await patched.json()) as { values: { photo: unknown } }).values.photo).not.toBeNull()
    const { html } = await browser.get(`/ada/tables/${table.slug}/${row}/edit`)
    const version = /name="_version" value="(\d+)"/.exec(html)?.[1] ?? ''
    const saved = await browser.post(`/ada/tables/${table.slug}/${row}/edit`, {
      _version: version,
      name: 'Sparrow',
    })
    expect(saved.status).toBe(303)
    const { html: page } = await browser.get(`/ada/tables/${table.slug}/${row}`)
    expect(page).toContain('a.png')
    await putFile(table, row, 'photo', await makeImage('gif', 20, 20), 'b.gif')
    expect((await storedKeys(t)).length).toBe(before + 2)
  })

  it('deletes the files of a cell emptied, a row, a column and a table from the bucket', async () => {
    const start = (await storedKeys(t)).length
    const table = await photoTable()
    const rows = [await addRow(table), await addRow(table), await addRow(table)]
    for (const row of rows) {
      await putFile(table, row, 'photo', await makeImage('webp', 30, 30), 'p.webp')
      await putFile(table, row, 'papers', Buffer.from('%PDF-1.4\n'), 'p.pdf')
    }
    expect((await storedKeys(t)).length).toBe(start + 9)
    const base = `/ada/tables/${table.slug}`

    const emptied = await apiRequest(t, 'DELETE', `${base}/rows/${rows[0]}/files/papers`, { token })
    expect(emptied.status).toBe(204)
    expect((await storedKeys(t)).length).toBe(start + 8)
    const cleared = await apiRequest(t, 'PATCH', `${base}/rows/${rows[0]}`, {
      token,
      body: { photo: null },
    })
    expect(cleared.status).toBe(200)
    expect((await storedKeys(t)).length).toBe(start + 6)

    const { html: confirm } = await browser.get(`${base}/${rows[1]}/delete`)
    expect(confirm).toContain('p.webp')
    expect(confirm).not.toContain('"key"')
    expect((await browser.post(`${base}/${rows[1]}/delete`)).status).toBe(303)
    expect((await storedKeys(t)).length).toBe(start + 3)

    const dropped = await apiRequest(t, 'DELETE', `${base}/columns/papers`, { token })
    expect(dropped.status).toBe(204)
    expect((await storedKeys(t)).length).toBe(start + 2)

    const gone = await apiRequest(t, 'DELETE', base, { token })
    expect(gone.status).toBe(204)
    expect((await storedKeys(t)).length).toBe(start)
  })

  it('removes a file from the row form', async () => {
    const table = await photoTable()
    const row = await addRow(table)
    const before = (await storedKeys(t)).length
    await putFile(table, row, 'papers', Buffer.from('notes'), 'n.txt')
    const { html } = await browser.get(`/ada/tables/${table.slug}/${row}/edit`)
    expect(html).toContain('Remove the file')
    const res = await browser.post(`/ada/tables/${table.slug}/${row}/files/papers/delete`)
    expect(res.status).toBe(303)
    expect((await storedKeys(t)).length).toBe(before)
  })

  it('exports a file cell as its name (CSV) or its description (JSON), never its storage key', async () => {
    const table = await photoTable()
    const row = await addRow(table)
    await putFile(table, row, 'papers', Buffer.from('notes'), 'n.txt')
    const csv = await (await browser.request(`/ada/tables/${table.slug}/export.csv`)).text()
    expect(csv).toBe('Name,Photo,Papers\nWren,,n.txt\n')
    const json = await (await browser.request(`/ada/tables/${table.slug}/export.json`)).text()
    expect(JSON.parse(json)).toEqual([
      {
        id: row,
        name: 'Wren',
        photo: null,
        papers: { name: 'n.txt', type: 'application/octet-stream', size: 5 },
      },
    ])
    for (const key of await t.storage.list()) expect(csv + json).not.toContain(key)
  })

  it('answers 404 for files that are not there', async () => {
    const table = await photoTable()
    const row = await addRow(table)
    const base = `/ada/tables/${table.slug}`
    for (const path of [
      `${base}/${row}/files/photo`,
      `${base}/${row}/files/photo/thumbnail`,
      `${base}/${row}/files/name`,
      `${base}/${row}/files/nothing`,
      `${base}/999/files/photo`,
    ]) {
      expect((await browser.request(path)).status, path).toBe(404)
    }
    await putFile(table, row, 'papers', Buffer.from('notes'), 'n.txt')
    expect((await browser.request(`${base}/${row}/files/papers/thumbnail`)).status).toBe(404)
    expect((await putFile(table, 999, 'papers', Buffer.from('x'), 'x')).status).toBe(404)
  })
})
