// Timing one operation again and again, the same way for HTTP requests and for the floor.

export interface Latency {
  n: number
  p50: number
  p95: number
}

export interface LatencyOptions {
  warmup: number
  requests: number
  // A slow case stops early (after at least `minRequests`) so a run stays bounded.
  maxSeconds: number
  minRequests: number
}

export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return Number.NaN
  const index = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))
  return sorted[index] ?? Number.NaN
}

export const elapsedMs = (start: bigint) => Number(process.hrtime.bigint() - start) / 1e6

// Concurrency 1: one call after another; milliseconds from the call to its last byte.
export async function measureLatency(
  run: () => Promise<unknown>,
  options: LatencyOptions,
): Promise<Latency> {
  // Warm-up: up to `warmup` calls, but no more than 2 s of them (at least one).
  const warming = process.hrtime.bigint()
  for (let i = 0; i < Math.max(1, options.warmup); i++) {
    await run()
    if (elapsedMs(warming) > 2000) break
  }
  const samples: number[] = []
  const started = process.hrtime.bigint()
  while (samples.length < options.requests) {
    const start = process.hrtime.bigint()
    await run()
    samples.push(elapsedMs(start))
    if (samples.length >= options.minRequests && elapsedMs(started) > options.maxSeconds * 1000)
      break
  }
  samples.sort((a, b) => a - b)
  return { n: samples.length, p50: percentile(samples, 50), p95: percentile(samples, 95) }
}

export interface Throughput {
  requests: number
  seconds: number
  perSecond: number
  // Cores this process used meanwhile (user + system CPU time / wall time).
  clientCores: number
}

// `concurrency` loops calling `run` until `seconds` have passed.
export async function measureThroughput(
  run: () => Promise<unknown>,
  concurrency: number,
  seconds: number,
): Promise<Throughput> {
  for (let i = 0; i < concurrency; i++) await run()
  const cpu = process.cpuUsage()
  const start = process.hrtime.bigint()
  const deadline = start + BigInt(Math.round(seconds * 1e9))
  let requests = 0
  const loop = async () => {
    while (process.hrtime.bigint() < deadline) {
      await run()
      requests++
    }
  }
  await Promise.all(Array.from({ length: concurrency }, loop))
  const wall = elapsedMs(start)
  const used = process.cpuUsage(cpu)
  return {
    requests,
    seconds: wall / 1000,
    perSecond: requests / (wall / 1000),
    clientCores: (used.user + used.system) / 1000 / wall,
  }
}
