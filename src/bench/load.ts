// Throughput with autocannon, a load generator that is not the bottleneck (it is checked against a
// trivial server in the same run).
import autocannon from 'autocannon'

export interface Load {
  perSecond: number
  p50: number
  errors: number
}

export async function runLoad(url: string, connections: number, seconds: number): Promise<Load> {
  const result = await autocannon({ url, connections, duration: seconds, pipelining: 1 })
  const failed = result.errors + result.timeouts + result.non2xx
  return { perSecond: result.requests.average, p50: result.latency.p50, errors: failed }
}
