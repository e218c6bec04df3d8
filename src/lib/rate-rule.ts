// A rate limit as people write it in the environment: `30/10m` is 30 requests per 10 minutes.
export interface RateRule {
  limit: number
  windowSeconds: number
}

const UNIT_SECONDS: Record<string, number> = { s: 1, m: 60, h: 3600, d: 86400 }

// `N/W` where W is a duration (`30s`, `10m`, `1h`, `1d`; a bare unit means one of it), or `off`.
export function parseRateRule(text: string): RateRule | null | 'invalid' {
  const value = text.trim().toLowerCase()
  if (value === 'off') return null
  const match = /^(\d{1,9})\s*\/\s*(\d{0,6})\s*([smhd])$/.exec(value)
  if (!match) return 'invalid'
  const [, count, size, unit] = match as unknown as [string, string, string, string]
  const limit = Number(count)
  const windowSeconds = Number(size || '1') * (UNIT_SECONDS[unit] as number)
  if (limit < 1 || windowSeconds < 1 || windowSeconds > 7 * 86400) return 'invalid'
  return { limit, windowSeconds }
}

const UNIT_NAMES: [number, string][] = [
  [86400, 'day'],
  [3600, 'hour'],
  [60, 'minute'],
  [1, 'second'],
]

// For messages: 60 → "minute", 600 → "10 minutes", 90 → "90 seconds".
export function describeWindow(seconds: number): string {
  // Seconds always divide a whole number of seconds, so something is found.
  const [size, name] = UNIT_NAMES.find(([size]) => seconds % size === 0) as [number, string]
  const count = seconds / size
  return count === 1 ? name : `${count} ${name}s`
}

// For messages: 1 → "1 second", 125 → "3 minutes" (rounded up, so waiting that long is enough).
export function describeWait(seconds: number): string {
  if (seconds <= 1) return '1 second'
  if (seconds <= 90) return `${seconds} seconds`
  const minutes = Math.ceil(seconds / 60)
  if (minutes <= 90) return `${minutes} minutes`
  return `${Math.ceil(minutes / 60)} hours`
}
