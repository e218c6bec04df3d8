import type { AddressInfo } from 'node:net'
import { connect } from 'node:net'
import { serve } from '@hono/node-server'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { getTableById } from '../../datasource/catalog.js'
import type { TableInfo } from '../../datasource/types.js'
import { anonymousBrowser, createTestApp, signedInBrowser, type TestApp } from '../../test/app.js'
import type { Browser } from '../../test/browser.js'
import { birdTable } from '../../test/tables.js'
import { API_LIMIT, bodyLimitFor, FORM_LIMIT, ROW_FORM_LIMIT, UPLOAD_LIMIT } from './body-limit.js'

let t: TestApp
let alice: Browser
let aliceId: number
let bob: Browser
beforeAll(async () => {
  t = await createTestApp()
  ;({
    browser: alice,
    user: { id: aliceId },
  } = await signedInBrowser(t, 'alice'))
  ;({ browser: bob } = await signedInBrowser(t, 'bob'))
})
afterAll(() => t.database.close())

let tables = 0
const freshTable = (isPublic = true) => birdTable(t, aliceId, `Limits ${++tables}`, { isPublic })

// A body that counts how much of it was read: `size` bytes of a form field, sent in 64 KB chunks.
function countedBody(size: number, prefix = '') {
  const chunk = new TextEncoder().encode('a'.repeat(64 * 1024))
  const read = { bytes: 0 }
  let started = false
  const stream = new ReadableStream<Uint8Array>(
    {
      pull(controller) {
        if (!started) {
          started = true
          controller.enqueue(new TextEncoder().encode(prefix))
          return
        }
        if (read.bytes >= size) return controller.close()
        read.bytes += chunk.length
        controller.enqueue(chunk)
      },
    },
    { highWaterMark: 0 },
  )
  return { stream, read }
}

function postStream(browser: Browser, path: string, stream: ReadableStream, headers = {}) {
  return browser.request(path, {
    method: 'POST',
    body: stream,
    duplex: 'half',
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      origin: 'http://localhost',
      ...headers,
    },
  } as RequestInit)
}

const heading = (html: string) => /<h1>([^<]*)<\/h1>/.exec(html)?.[1]

describe('a body over the limit', () => {
  it('is refused from its Content-Length alone, with a page that says why', async () => {
    const table = await freshTable()
    const { stream, read } = countedBody(10 * 1024 * 1024)
    const res = await postStream(alice, `/alice/tables/${table.slug}/settings`, stream, {
      'content-length': String(10 * 1024 * 1024),
    })
    expect(res.status).toBe(413)
    const html = await res.text()
    expect(heading(html)).toBe('Too large')
    expect(html).toContain('This form is too large to send: the limit is 256 KB.')
    expect(res.headers.get('connection')).toBe('close')
    expect(read.bytes).toBe(0)
  })

  it('is refused in JSON when JSON was asked for', async () => {
    const res = await alice.request('/auth/logout?format=json', {
      method: 'POST',
      body: 'x',
      headers: { 'content-length': String(FORM_LIMIT + 1) },
    })
    expect(res.status).toBe(413)
    expect(await res.json()).toEqual({
      type: 'about:blank',
      status: 413,
      title: 'Content Too Large',
      detail:
        'This form is too large to send: the limit is 256 KB. Shorten the longest values and try again.',
    })
  })

  it('is cut off while it streams when it has no Content-Length, and nothing changes', async () => {
    const table = await freshTable()
    await alice.get(`/alice/tables/${table.slug}/settings`)
    const { stream, read } = countedBody(
      5 * 1024 * 1024,
      `_csrf=${alice.csrfToken}&visibility=private&name=Renamed&description=`,
    )
    const res = await postStream(alice, `/alice/tables/${table.slug}/settings`, stream)
    expect(res.status).toBe(413)
    expect(await res.text()).toContain('the limit is 256 KB')
    expect(read.bytes).toBeLessThanOrEqual(FORM_LIMIT + 64 * 1024)
    expect(await getTableById(t.database.db, table.id)).toMatchObject({
      name: table.name,
      isPublic: true,
    })
  })

  it('leaves a row form room for a long text of a million characters', async () => {
    const table = await freshTable()
    await alice.get(`/alice/tables/${table.slug}/new`)
    const res = await alice.post(`/alice/tables/${table.slug}/new`, {
      bird: 'Wren',
      count: '1'.padStart(ROW_FORM_LIMIT / 2, '0'),
    })
    // Too long for an integer, so a form error: but read, not refused for its size.
    expect(res.status).toBe(400)
    expect(await res.text()).toContain('New row')
  })
})

describe('checks that need no body', () => {
  it('send a signed-out writer to sign in without reading the body', async () => {
    const table = await freshTable()
    const browser = anonymousBrowser(t)
    await browser.get('/')
    const { stream, read } = countedBody(50 * 1024 * 1024)
    const res = await postStream(browser, `/alice/tables/${table.slug}/delete-rows`, stream)
    expect(res.status).toBe(303)
    expect(res.headers.get('location')).toMatch(/^\/auth\/login\?next=/)
    expect(read.bytes).toBe(0)
  })

  it('refuse someone else’s write without reading the body', async () => {
    const table = await freshTable()
    await bob.get('/')
    const { stream, read } = countedBody(50 * 1024 * 1024)
    const res = await postStream(bob, `/alice/tables/${table.slug}/settings`, stream)
    expect(res.status).toBe(403)
    expect(await res.text()).toContain('Only alice can change this table.')
    expect(read.bytes).toBe(0)
  })

  it('hide a private table from someone else without reading the body', async () => {
    const table: TableInfo = await freshTable(false)
    const { stream, read } = countedBody(50 * 1024 * 1024)
    const res = await postStream(bob, `/alice/tables/${table.slug}/columns`, stream)
    expect(res.status).toBe(404)
    expect(read.bytes).toBe(0)
  })

  it.each([
    ['a new table', '/alice/tables/new', 'You can only create tables of your own.'],
    [
      'an import',
      '/alice/tables/import/1-aaaaaaaaaaaaaaaa',
      'You can only import into tables of your own.',
    ],
  ])('refuse %s in someone else’s name without reading the body', async (_name, path, message) => {
    const { stream, read } = countedBody(50 * 1024 * 1024)
    const res = await postStream(bob, path, stream)
    expect(res.status).toBe(403)
    expect(await res.text()).toContain(message)
    expect(read.bytes).toBe(0)
  })

  it('refuse a cross-site form without reading the body', async () => {
    const { stream, read } = countedBody(50 * 1024 * 1024)
    const res = await postStream(alice, '/auth/logout', stream, { origin: 'https://evil.example' })
    expect(res.status).toBe(403)
    expect(read.bytes).toBe(0)
  })
})

describe('forms that cannot be read', () => {
  it('reads a body with no content type as an empty form', async () => {
    await alice.get('/alice/tables/new')
    const res = await alice.request('/alice/tables/new', {
      method: 'POST',
      // Bytes get no Content-Type of their own, as a string would.
      body: new TextEncoder().encode('name=Ignored'),
      headers: { origin: 'http://localhost', 'x-csrf-token': alice.csrfToken },
    })
    expect(res.status).toBe(400)
    expect(await res.text()).toContain('A name is required')
  })

  const send = (body: BodyInit, type: string) =>
    alice.request('/alice/tables/new', {
      method: 'POST',
      body,
      headers: {
        'content-type': type,
        origin: 'http://localhost',
        'x-csrf-token': alice.csrfToken,
      },
    })

  it.each([
    [
      'bytes that are not UTF-8',
      'name=%FF%FE',
      'application/x-www-form-urlencoded',
      'The field “name” is not valid UTF-8 text.',
    ],
    [
      'raw bytes that are not UTF-8',
      new Uint8Array([0x6e, 0x61, 0x6d, 0x65, 0x3d, 0xc3]),
      'application/x-www-form-urlencoded',
      'The field “name” is not valid UTF-8 text.',
    ],
    ['a multipart body with no boundary', '--x\r\n', 'multipart/form-data', 'could not be read'],
    [
      'a multipart body cut short',
      '--x\r\nContent-Disposition: form-data; name="name"\r\n\r\nBir',
      'multipart/form-data; boundary=x',
      'could not be read',
    ],
  ])('answer %s with a 400 that says so', async (_name, body, type, message) => {
    await alice.get('/alice/tables/new')
    const res = await send(body as BodyInit, type)
    expect(res.status).toBe(400)
    expect(await res.text()).toContain(message)
  })
})

describe('the limit for each route', () => {
  it('is the upload limit on the two upload routes, the row limit on row forms', () => {
    expect(bodyLimitFor('/alice/tables/import').limit).toBe(UPLOAD_LIMIT)
    expect(bodyLimitFor('/alice/tables/birds/import').limit).toBe(UPLOAD_LIMIT)
    expect(bodyLimitFor('/alice/tables/birds/new').limit).toBe(ROW_FORM_LIMIT)
    expect(bodyLimitFor('/alice/tables/birds/12/edit').limit).toBe(ROW_FORM_LIMIT)
    expect(bodyLimitFor('/alice/tables/new').limit).toBe(FORM_LIMIT)
    expect(bodyLimitFor('/alice/tables/import/1-abc').limit).toBe(FORM_LIMIT)
    expect(bodyLimitFor('/auth/login').limit).toBe(FORM_LIMIT)
  })

  it('is the form limit (1 MB in the API) for every other route the app has, so a new one is covered too', () => {
    const examples: Record<string, string> = {
      ':username': 'alice',
      ':table': 'birds',
      ':upload': '1-abcdefghijklmnop',
      ':column': 'bird',
      ':row{[0-9]+}': '12',
      ':key': 'k',
      ':file{export\\.(?:csv|json)}': 'export.csv',
      '*': 'x',
    }
    const big = new Set([
      '/:username/tables/import',
      '/:username/tables/:table/import',
      // The API's rows take a CSV body as big as an upload (JSON is bounded again as it is read).
      '/api/v1/:username/tables/:table/rows',
    ])
    const rows = new Set([
      '/:username/tables/:table/new',
      '/:username/tables/:table/:row{[0-9]+}/edit',
    ])
    for (const route of t.app.routes.filter((r) => r.method === 'POST')) {
      const path = route.path
        .split('/')
        .map((part) => examples[part] ?? part)
        .join('/')
      const expected = big.has(route.path)
        ? UPLOAD_LIMIT
        : rows.has(route.path)
          ? ROW_FORM_LIMIT
          : route.path.startsWith('/api/')
            ? API_LIMIT
            : FORM_LIMIT
      expect(bodyLimitFor(path).limit, route.path).toBe(expected)
    }
  })
})

describe('over a real socket', () => {
  let server: ReturnType<typeof serve>
  let port: number
  beforeAll(async () => {
    server = await new Promise((resolve) => {
      const listening = serve({ fetch: t.app.fetch, port: 0, hostname: '127.0.0.1' }, () =>
        resolve(listening),
      )
    })
    port = (server.address() as AddressInfo).port
  })
  afterAll(() => new Promise((resolve) => server.close(resolve)))

  // Sends `head`, then `body` chunks while the server listens; resolves with what it answered.
  function exchange(head: string, chunks: AsyncIterable<string> | null): Promise<string> {
    return new Promise((resolve, reject) => {
      const socket = connect(port, '127.0.0.1')
      let answer = ''
      socket.on('data', (data) => {
        answer += data.toString('latin1')
      })
      socket.on('close', () => resolve(answer))
      socket.on('error', () => resolve(answer))
      socket.setTimeout(10_000, () => {
        socket.destroy()
        reject(new Error(`no answer; got ${answer}`))
      })
      socket.write(head)
      if (chunks)
        void (async () => {
          for await (const chunk of chunks) {
            if (socket.destroyed || answer.includes('\r\n\r\n')) break
            socket.write(chunk)
          }
        })()
    })
  }

  it('answers a 600 MB Content-Length at once, with no body sent', async () => {
    const answer = await exchange(
      'POST /auth/login HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/x-www-form-urlencoded\r\n' +
        `Content-Length: ${600 * 1024 * 1024}\r\n\r\n`,
      null,
    )
    expect(answer).toMatch(/^HTTP\/1\.1 413 /)
    expect(answer).toContain('This form is too large to send')
  })

  it('answers a chunked form that grows past the limit with a 413', async () => {
    async function* chunks() {
      const piece = 'a'.repeat(32 * 1024)
      for (let n = 0; n < 1000; n++) yield `${piece.length.toString(16)}\r\n${piece}\r\n`
    }
    const answer = await exchange(
      'POST /auth/login HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/x-www-form-urlencoded\r\n' +
        'Transfer-Encoding: chunked\r\n\r\n',
      chunks(),
    )
    expect(answer).toMatch(/^HTTP\/1\.1 413 /)
    expect(answer).toContain('the limit is 256 KB')
  })
})
