import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { tokenFor } from '../test/api.js'
import { createTestApp, signedInBrowser, type TestApp } from '../test/app.js'
import { type AppProcess, listening, spawnApp } from '../test/app-process.js'
import { freePort } from '../test/pg-cluster.js'
import { createScratchDatabase } from '../test/scratch-database.js'

describe('API rate limits in one process', () => {
  let t: TestApp
  let token: string
  beforeAll(async () => {
    t = await createTestApp({
      env: { RATE_LIMIT_API_TOKEN: '3/1m', RATE_LIMIT_API_ADDRESS: '2/1m' },
    })
    token = await tokenFor(t, (await signedInBrowser(t, 'ada')).user.id, ['read'])
  })
  afterAll(() => t.database.close())

  const get = (headers: Record<string, string> = {}) =>
    t.app.request('http://localhost/api/v1/ada/tables', { headers })

  it('count each token apart from addresses, with RateLimit-* headers, then 429 and Retry-After', async () => {
    const statuses = []
    for (let i = 0; i < 4; i++) {
      const res = await get({ authorization: `Bearer ${token}` })
      statuses.push(res.status)
      if (i === 0) {
        expect(res.headers.get('RateLimit-Limit')).toBe('3')
        expect(res.headers.get('RateLimit-Remaining')).toBe('2')
      }
      if (res.status === 429) {
        expect(Number(res.headers.get('Retry-After'))).toBeGreaterThan(0)
        expect(res.headers.get('content-type')).toContain('application/problem+json')
        expect((await res.json()).detail).toMatch(
          /^Too many API requests with this token: the limit is 3/,
        )
      }
    }
    expect(statuses).toEqual([200, 200, 200, 429])
    // Requests without a token count against the address, apart from the token's.
    expect([(await get()).status, (await get()).status, (await get()).status]).toEqual([
      200, 200, 429,
    ])
  })
})

// Two worker processes behind one port (Node's cluster hands connections round-robin): the count
// lives in Postgres, so the limit holds for both together, not for each.
describe.runIf(process.env.TEST_DATABASE_URL)('API rate limits across two workers', () => {
  const apps: AppProcess[] = []
  const drops: (() => Promise<void>)[] = []
  afterEach(async () => {
    for (const app of apps.splice(0)) app.cleanup()
    for (const drop of drops.splice(0)) await drop()
  })

  it('allow exactly the limit in all, whichever worker answers', async () => {
    const scratch = await createScratchDatabase()
    drops.push(scratch.drop)
    const port = await freePort()
    const app = spawnApp({
      NODE_ENV: 'production',
      SECRET_KEY: 'rate-limit-test-secret-key-0123456789',
      GITHUB_CLIENT_ID: 'placeholder',
      GITHUB_CLIENT_SECRET: 'placeholder',
      HOST: '127.0.0.1',
      PORT: String(port),
      WEB_CONCURRENCY: '2',
      RATE_LIMIT_API_ADDRESS: '10/1h',
      ...scratch.env,
    })
    apps.push(app)
    await app.waitFor((lines) => listening(lines).length === 2)
    // A new connection for each request, so the primary spreads them over both workers.
    const statuses: number[] = []
    for (let i = 0; i < 20; i++) {
      const res = await fetch(`http://127.0.0.1:${port}/api/v1/openapi.json`, {
        headers: { connection: 'close' },
      })
      statuses.push(res.status)
      await res.arrayBuffer()
    }
    expect(statuses.filter((status) => status === 200)).toHaveLength(10)
    expect(statuses.slice(10)).toEqual(Array(10).fill(429))
    const servedBy = new Set(
      app.lines.filter((line) => line.path === '/api/v1/openapi.json').map((line) => line.pid),
    )
    expect(servedBy.size).toBe(2)
  }, 120_000)
})
