import { afterEach, describe, expect, it } from 'vitest'
import { readConfig } from '../config.js'
import { memoryLogger } from '../test/logs.js'
import { freePort } from '../test/pg-cluster.js'
import { createScratchDatabase } from '../test/scratch-database.js'
import { startSlowSignIn } from '../test/slow-sign-in.js'
import { startWorker } from './worker.js'

const cleanups: (() => Promise<void>)[] = []
afterEach(async () => {
  for (const cleanup of cleanups.splice(0)) await cleanup()
})

// A worker on its own fresh database (Postgres from TEST_DATABASE_URL, else PGlite in a folder).
async function worker(env: Record<string, string> = {}) {
  const scratch = await createScratchDatabase()
  cleanups.push(scratch.drop)
  const config = readConfig({
    NODE_ENV: 'test',
    HOST: '127.0.0.1',
    PORT: String(await freePort()),
    ...scratch.env,
    ...env,
  })
  const { logger, lines } = memoryLogger()
  const running = await startWorker(config, { logger, checkIndexes: true })
  cleanups.unshift(async () => {
    await running.shutdown('test over')
  })
  return { running, lines, origin: `http://127.0.0.1:${running.port}` }
}

describe('a worker', () => {
  it('serves; on SIGTERM it finishes the requests in flight, cuts those still running at the deadline, closes its pool', async () => {
    const { running, lines, origin } = await worker({ SHUTDOWN_TIMEOUT: '2' })
    const messages = () => lines.map((line) => line.msg)
    expect(messages()).toContainEqual(
      expect.stringMatching(
        /^HostedAPI listening on http:\/\/localhost:\d+ \((postgres|pglite)\)$/,
      ),
    )
    if (!process.env.TEST_DATABASE_URL) {
      // PGlite sets itself up on first start: migrations, then the demo tables.
      expect(messages()).toContainEqual(expect.stringMatching(/^Loaded demo tables: .*2015.*2017/))
    }
    expect((await fetch(`${origin}/healthz`)).status).toBe(200)

    const slow = await startSlowSignIn(origin)
    const stuck = await startSlowSignIn(origin)
    stuck.response.catch(() => {})
    const started = Date.now()
    const stopped = running.shutdown('SIGTERM')
    expect(running.shutdown('SIGTERM again')).toBe(stopped)
    await new Promise((resolve) => setTimeout(resolve, 300))
    slow.finish()
    expect(await slow.response).toMatchObject({
      status: 303,
      location: expect.stringContaining('/mock-github/login/oauth/authorize?'),
      connection: 'close',
    })
    expect(await stopped).toBe(0)
    expect(Date.now() - started).toBeGreaterThanOrEqual(2000)
    expect(Date.now() - started).toBeLessThan(5000)
    await expect(stuck.response).rejects.toThrow()
    await expect(fetch(`${origin}/healthz`)).rejects.toThrow()
    expect(messages()).toContain('SIGTERM: finishing 2 requests in flight, then stopping')
    const cut = messages().indexOf('Cut 1 requests at the deadline')
    expect(cut).toBeGreaterThan(0)
    expect(messages().indexOf('Stopped')).toBeGreaterThan(cut)
    // PGlite's first start loads the demo tables, which takes a while on a busy machine.
  }, 120_000)
})
