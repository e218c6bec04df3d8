import * as Sentry from '@sentry/node'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { readConfig } from '../../config.js'
import { flushSentry, initSentry } from '../../sentry.js'
import { createTestDatabase } from '../../test/database.js'
import { memoryLogger } from '../../test/logs.js'
import { createApp } from '../app.js'

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/

describe('the request log', () => {
  const { logger, lines } = memoryLogger()
  let app: ReturnType<typeof createApp>
  let close: () => Promise<void>
  beforeAll(async () => {
    const database = await createTestDatabase()
    close = () => database.close()
    app = createApp({ config: readConfig({ NODE_ENV: 'test' }), database, logger })
  })
  afterAll(() => close())

  it('writes one line per request: method, path, status, duration and request id', async () => {
    lines.length = 0
    const res = await app.request('/nobody?code=secret-oauth-code&_csrf=token', {
      headers: { 'X-Request-ID': 'd4f5a0e2-heroku-router-id' },
    })
    expect(res.status).toBe(404)
    expect(res.headers.get('X-Request-ID')).toBe('d4f5a0e2-heroku-router-id')
    expect(lines).toHaveLength(1)
    expect(lines[0]).toMatchObject({
      level: 'info',
      request_id: 'd4f5a0e2-heroku-router-id',
      method: 'GET',
      path: '/nobody',
      status: 404,
      msg: expect.stringMatching(/^GET \/nobody 404 [\d.]+ms$/),
    })
    expect(lines[0]?.ms).toBeTypeOf('number')
    // The query string can carry OAuth codes and CSRF tokens: it is never logged.
    expect(JSON.stringify(lines)).not.toContain('secret')
  })

  it.each([
    ['no X-Request-ID', {}],
    ['an id with spaces and quotes', { 'X-Request-ID': 'a "b" c' }],
    ['an id of 256 characters', { 'X-Request-ID': 'x'.repeat(256) }],
  ])('makes a fresh id when the request has %s, and sends it back', async (_, headers) => {
    lines.length = 0
    const res = await app.request('/healthz', { headers })
    const id = res.headers.get('X-Request-ID')
    expect(id).toMatch(UUID)
    expect(lines.map((line) => line.request_id)).toEqual([id])
  })
})

describe('an unexpected error', () => {
  const sent: string[] = []
  beforeAll(() => {
    const transport = (options: Parameters<typeof Sentry.createTransport>[0]) =>
      Sentry.createTransport(options, async (request) => {
        sent.push(String(request.body))
        return { statusCode: 200 }
      })
    initSentry(readConfig({ SENTRY_DSN: 'https://public@sentry.example.com/3' }), transport)
  })
  afterAll(() => Sentry.close())

  it('is logged and reported to Sentry with the request id of its request', async () => {
    const { logger, lines } = memoryLogger()
    const database = await createTestDatabase()
    await database.close()
    const app = createApp({ config: readConfig({ NODE_ENV: 'test' }), database, logger })
    const res = await app.request('/', { headers: { 'X-Request-ID': 'req-500-abc' } })
    expect(res.status).toBe(500)
    expect(res.headers.get('X-Request-ID')).toBe('req-500-abc')
    expect(lines.map(({ level, msg, request_id }) => ({ level, msg, request_id }))).toEqual([
      { level: 'error', msg: 'Unhandled error', request_id: 'req-500-abc' },
      { level: 'warn', msg: expect.stringMatching(/^GET \/ 500 /), request_id: 'req-500-abc' },
    ])
    expect(lines[0]?.err).toMatchObject({ message: expect.any(String), stack: expect.any(String) })
    await flushSentry()
    const event = sent.find((body) => body.includes('"type":"event"'))
    expect(event).toContain('"request_id":"req-500-abc"')
  })
})
