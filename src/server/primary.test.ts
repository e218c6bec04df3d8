import cluster from 'node:cluster'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { appPath } from '../paths.js'
import { memoryLogger } from '../test/logs.js'
import { restartDelay, superviseWorkers, workerExecArgv } from './primary.js'

describe('restartDelay', () => {
  it.each([
    [0, 500],
    [1, 500],
    [2, 1000],
    [3, 2000],
    [6, 16_000],
    [7, 30_000],
    [50, 30_000],
  ])('waits, after %i recent crashes, %i ms', (crashes, ms) => {
    expect(restartDelay(crashes)).toBe(ms)
  })
})

describe('workerExecArgv', () => {
  it.each([
    [[], '', ['--max-semi-space-size=4']],
    [['--enable-source-maps'], '', ['--enable-source-maps', '--max-semi-space-size=4']],
    [['--max-semi-space-size=8'], '', ['--max-semi-space-size=8']],
    [[], '--max-old-space-size=400 --max-semi-space-size=16', []],
  ])('given %j and NODE_OPTIONS %j, starts workers with %j', (argv, options, expected) => {
    expect(workerExecArgv(argv, options)).toEqual(expected)
  })
})

// Real forked processes, running a small script that behaves as each test needs.
describe('superviseWorkers', () => {
  beforeAll(() => {
    cluster.setupPrimary({ exec: appPath('src/test/cluster-worker.mjs'), silent: true })
  })
  afterAll(() => {
    delete process.env.WORKER_BEHAVIOUR
  })

  const supervise = (behaviour: string, overrides: { shutdownTimeoutMs?: number } = {}) => {
    process.env.WORKER_BEHAVIOUR = behaviour
    const { logger, lines } = memoryLogger()
    const supervisor = superviseWorkers({
      workers: 2,
      shutdownTimeoutMs: overrides.shutdownTimeoutMs ?? 5000,
      logger,
      backoff: { baseMs: 200, maxMs: 1000, windowMs: 10_000 },
      killGraceMs: 300,
    })
    return { supervisor, lines }
  }
  const pids = () => Object.values(cluster.workers ?? {}).map((worker) => worker?.process.pid)
  // Every forked process has exited (cluster.workers drops one only after its IPC channel's
  // 'disconnect' too, which may come a moment after its 'exit').
  const allDead = () => Object.values(cluster.workers ?? {}).every((worker) => worker?.isDead())
  const wait = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))
  const ready = (count: number) =>
    new Promise<void>((resolve) => {
      let seen = 0
      const onMessage = () => {
        if (++seen < count) return
        cluster.off('message', onMessage)
        resolve()
      }
      cluster.on('message', onMessage)
    })

  it('passes SIGTERM to every worker and exits 0 once they all have', async () => {
    const started = ready(2)
    const { supervisor, lines } = supervise('serve')
    await started
    expect(pids()).toHaveLength(2)
    // Forked with the young generation's bound, once however often a supervisor starts.
    expect(cluster.settings.execArgv?.filter((arg) => arg.includes('semi-space'))).toEqual([
      '--max-semi-space-size=4',
    ])
    supervisor.shutdown('SIGTERM')
    expect(await supervisor.finished).toBe(0)
    expect(allDead()).toBe(true)
    expect(lines.map((line) => line.msg)).toEqual([
      'SIGTERM: stopping 2 workers',
      expect.stringMatching(/^Worker \d+ stopped$/),
      expect.stringMatching(/^Worker \d+ stopped$/),
    ])
  })

  it('restarts crashed workers with a growing delay, and forks none once stopping', async () => {
    const { supervisor, lines } = supervise('crash')
    const restarts = () => lines.filter((line) => line.restart_in_ms !== undefined)
    // Until four restarts are planned, however slowly a loaded machine forks.
    const started = Date.now()
    while (restarts().length < 4 && Date.now() - started < 30_000) await wait(50)
    const elapsed = Date.now() - started
    supervisor.shutdown('SIGTERM')
    await supervisor.finished
    const delays = restarts().map((line) => line.restart_in_ms as number)
    // Two workers crashing every 50 ms would restart ~40 times a second in a hot loop.
    expect(delays.length).toBeGreaterThanOrEqual(4)
    expect(delays.length).toBeLessThan(4 + Math.ceil(elapsed / 200))
    expect(delays.slice(0, 4)).toEqual([200, 400, 800, 1000])
    expect(Math.max(...delays)).toBe(1000)
    expect(allDead()).toBe(true)
  })

  it('kills a worker that ignores SIGTERM after the deadline, and exits 1', async () => {
    const workersReady = ready(2)
    const { supervisor, lines } = supervise('ignore-sigterm', { shutdownTimeoutMs: 300 })
    await workersReady
    const started = Date.now()
    supervisor.shutdown('SIGTERM')
    expect(await supervisor.finished).toBe(1)
    expect(Date.now() - started).toBeLessThan(3000)
    expect(lines.some((line) => /did not stop in time; killing it/.test(line.msg))).toBe(true)
  })

  it('does not replace a worker that stopped on its own, and exits 0 when none is left', async () => {
    const { supervisor, lines } = supervise('finish')
    expect(await supervisor.finished).toBe(0)
    expect(lines.filter((line) => /stopped on its own/.test(line.msg))).toHaveLength(2)
  })
})
