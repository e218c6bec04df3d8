import * as Sentry from '@sentry/node'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { readConfig } from '../config.js'
import { flushSentry, initSentry } from '../sentry.js'
import { createTestDatabase } from '../test/database.js'
import { createApp } from './app.js'

// A database that has been closed makes every query fail: an unexpected error.
async function brokenApp(env: Record<string, string>) {
  const database = await createTestDatabase()
  await database.close()
  return createApp({ config: readConfig({ NODE_ENV: 'test', ...env }), database })
}

const sent: string[] = []
beforeAll(() => {
  const transport = (options: Parameters<typeof Sentry.createTransport>[0]) =>
    Sentry.createTransport(options, async (request) => {
      sent.push(
        typeof request.body === 'string' ? request.body : new TextDecoder().decode(request.body),
      )
      return { statusCode: 200 }
    })
  const config = readConfig({
    NODE_ENV: 'test',
    SENTRY_DSN: 'https://public@sentry.example.com/1',
    HEROKU_RELEASE_VERSION: 'v42',
  })
  expect(initSentry(config, transport)).toBe(true)
})
afterAll(() => Sentry.close())

describe('unexpected errors', () => {
  it('render a plain 500 page and report to Sentry with the release and environment', async () => {
    const app = await brokenApp({})
    const res = await app.request('http://localhost/')
    expect(res.status).toBe(500)
    const html = await res.text()
    expect(html).toContain('Something went wrong on our side')
    expect(html).not.toContain('Stack trace')
    await flushSentry()
    const event = sent.find((body) => body.includes('"type":"event"'))
    expect(event).toContain('"release":"v42"')
    expect(event).toContain('"environment":"test"')
  })

  it('show the stack trace only when DEBUG=true', async () => {
    const app = await brokenApp({ DEBUG: 'true' })
    const html = await (await app.request('http://localhost/')).text()
    expect(html).toContain('Stack trace (DEBUG=true)')
    expect(html).toMatch(/at .*\.(ts|js)/)
  })

  it('answer JSON when JSON was asked for', async () => {
    const app = await brokenApp({})
    const res = await app.request('http://localhost/demo?format=json')
    expect(res.status).toBe(500)
    expect(await res.json()).toMatchObject({ status: 500, title: 'Internal Server Error' })
  })

  it('are not confused with 404s, which are not reported', async () => {
    const database = await createTestDatabase()
    const app = createApp({ config: readConfig({ NODE_ENV: 'test' }), database })
    const events = () => sent.filter((body) => body.includes('"type":"event"')).length
    await flushSentry()
    const before = events()
    expect((await app.request('http://localhost/nobody')).status).toBe(404)
    await flushSentry()
    expect(events()).toBe(before)
    await database.close()
  })
})

describe('initSentry', () => {
  it('stays off without SENTRY_DSN', () => {
    expect(initSentry(readConfig({}))).toBe(false)
  })

  it('uses Sentry’s own transport when none is given, tagging the release', () => {
    const config = readConfig({
      NODE_ENV: 'test',
      SENTRY_DSN: 'https://public@sentry.example.com/2',
      SOURCE_VERSION: 'abc123',
    })
    expect(initSentry(config)).toBe(true)
    const options = Sentry.getClient()?.getOptions()
    expect(options?.dsn).toBe('https://public@sentry.example.com/2')
    expect(options?.release).toBe('abc123')
    expect(options?.transport).toBeTypeOf('function')
  })
})
