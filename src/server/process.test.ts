// The real entry point in real processes: what Heroku does to a dyno, done to src/main.ts.
import { afterEach, describe, expect, it } from 'vitest'
import { type AppProcess, isRunning, listening, spawnApp } from '../test/app-process.js'
import { freePort } from '../test/pg-cluster.js'
import { createScratchDatabase } from '../test/scratch-database.js'
import { startSlowSignIn } from '../test/slow-sign-in.js'

const PRODUCTION = {
  NODE_ENV: 'production',
  SECRET_KEY: 'process-test-secret-key-0123456789abcdef',
  GITHUB_CLIENT_ID: 'placeholder-client-id',
  GITHUB_CLIENT_SECRET: 'placeholder-client-secret',
  HOST: '127.0.0.1',
}

const apps: AppProcess[] = []
const drops: (() => Promise<void>)[] = []
afterEach(async () => {
  for (const app of apps.splice(0)) app.cleanup()
  for (const drop of drops.splice(0)) await drop()
})

async function start(env: Record<string, string>) {
  const port = await freePort()
  const app = spawnApp({ PORT: String(port), ...env })
  apps.push(app)
  return { app, origin: `http://127.0.0.1:${port}` }
}

const pidsOf = (app: AppProcess) => listening(app.lines).map((line) => Number(line.pid))

it('refuses to start in production without DATABASE_URL, in one line', async () => {
  const { app } = await start(PRODUCTION)
  expect(await app.exited).toEqual({ code: 1, signal: null })
  expect(app.stderr()).toMatch(
    /^Configuration error: DATABASE_URL is required when NODE_ENV=production: .*ALLOW_PGLITE_IN_PRODUCTION=true\)\n$/,
  )
}, 60_000)

describe.runIf(process.env.TEST_DATABASE_URL)('a primary with two workers on Postgres', () => {
  async function cluster() {
    const scratch = await createScratchDatabase()
    drops.push(scratch.drop)
    const started = await start({ ...PRODUCTION, ...scratch.env, WEB_CONCURRENCY: '2' })
    await started.app.waitFor((lines) => listening(lines).length === 2)
    return started
  }

  it('on SIGTERM to every process, finishes the request in flight, and every process exits 0', async () => {
    const { app, origin } = await cluster()
    const workers = pidsOf(app)
    const slow = await startSlowSignIn(origin)
    const signalled = Date.now()
    app.signalAll('SIGTERM')
    await app.waitFor((lines) => lines.some((line) => /finishing 1 requests/.test(line.msg)))
    slow.finish()
    const answer = await slow.response
    expect(answer.status).toBe(303)
    expect(answer.location).toMatch(
      /^https:\/\/github\.com\/login\/oauth\/authorize\?.*client_id=placeholder-client-id/,
    )
    expect(await app.exited).toEqual({ code: 0, signal: null })
    expect(Date.now() - signalled).toBeLessThan(10_000)
    expect(workers.filter(isRunning)).toEqual([])
    const messages = app.lines.map((line) => line.msg)
    expect(messages.filter((msg) => msg === 'Stopped')).toHaveLength(2)
    expect(messages.filter((msg) => /^Worker \d+ stopped$/.test(msg))).toHaveLength(2)
    expect(messages).not.toContainEqual(expect.stringMatching(/died|starting another/))
  }, 120_000)

  it('replaces a worker that dies, while the other one goes on serving', async () => {
    const { app, origin } = await cluster()
    const [victim] = pidsOf(app)
    process.kill(victim as number, 'SIGKILL')
    await app.waitFor((lines) =>
      lines.some((line) => line.msg.startsWith(`Worker ${victim} died (SIGKILL)`)),
    )
    expect((await fetch(`${origin}/healthz`)).status).toBe(200)
    await app.waitFor((lines) => listening(lines).length === 3)
    expect(pidsOf(app).filter(isRunning)).toHaveLength(2)
    const requestLines = app.lines.filter((line) => line.path === '/healthz')
    expect(requestLines.at(-1)).toMatchObject({ method: 'GET', status: 200 })
    app.signalAll('SIGTERM')
    expect((await app.exited).code).toBe(0)
  }, 120_000)
})

describe.runIf(!process.env.TEST_DATABASE_URL)('one process on PGlite', () => {
  it('on SIGTERM finishes the request in flight and exits 0', async () => {
    const scratch = await createScratchDatabase()
    drops.push(scratch.drop)
    const { app, origin } = await start({ ...scratch.env, HOST: '127.0.0.1', WEB_CONCURRENCY: '4' })
    await app.waitFor((lines) => listening(lines).length === 1, 90_000)
    expect(listening(app.lines)[0]?.msg).toMatch(/\(pglite\)$/)
    const slow = await startSlowSignIn(origin)
    app.signalAll('SIGTERM')
    await app.waitFor((lines) => lines.some((line) => /finishing 1 requests/.test(line.msg)))
    slow.finish()
    expect((await slow.response).status).toBe(303)
    expect(await app.exited).toEqual({ code: 0, signal: null })
  }, 150_000)
})
