// Targets from the performance issue, PASS/FAIL per case, and the Markdown table the README quotes.
import type { CaseKind } from './cases.js'
import { FILTER_P50_MS, isFilterCase } from './filter-cases.js'
import type { Latency } from './stats.js'

export interface ResultRow {
  name: string
  http: string
  floor: string
  ratio: string
  target: string
  // null: no target for this figure.
  pass: boolean | null
}

export type Mode = 'postgres' | 'pglite'

const ms = (value: number) => (value < 10 ? value.toFixed(2) : value.toFixed(1))
export const latencyText = (l: Latency) => `${ms(l.p50)} / ${ms(l.p95)} ms`
export const count = (n: number) => Math.round(n).toLocaleString('en-US')
export const megabytes = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MB`

// "No case slower than 3 × its floor + 5 ms", compared at the median.
const floorLimit = (floor: Latency) => 3 * floor.p50 + 5

export function latencyRow(
  mode: Mode,
  name: string,
  kind: CaseKind,
  http: Latency,
  floor: Latency,
): ResultRow {
  const checks: { text: string; ok: boolean }[] = []
  if (mode === 'pglite') {
    if (kind !== 'row') checks.push({ text: 'p50 ≤ 60', ok: http.p50 <= 60 })
  } else if (kind === 'table-page') {
    checks.push({ text: 'p50 ≤ 15', ok: http.p50 <= 15 }, { text: 'p95 ≤ 50', ok: http.p95 <= 50 })
  } else if (kind === 'jump') {
    checks.push({ text: 'p95 ≤ 200', ok: http.p95 <= 200 })
  } else if (kind === 'json') {
    checks.push({ text: 'p50 ≤ 10', ok: http.p50 <= 10 })
  } else if (isFilterCase(kind)) {
    const target = FILTER_P50_MS[kind]
    checks.push({ text: `p50 ≤ ${target}`, ok: http.p50 <= target })
  }
  const limit = floorLimit(floor)
  checks.push({ text: `p50 ≤ 3×floor+5 (${ms(limit)})`, ok: http.p50 <= limit })
  return {
    name: `${name} (n=${http.n})`,
    http: latencyText(http),
    floor: latencyText(floor),
    ratio: `${(http.p50 / floor.p50).toFixed(1)}×`,
    target: checks.map((check) => check.text).join(', '),
    pass: checks.every((check) => check.ok),
  }
}

// A rate against a minimum (null: reported only); the ratio is how many times slower than the floor.
export function rateRow(
  name: string,
  rate: number,
  unit: string,
  floorRate: number | null,
  floorLabel: string,
  minimum: number | null,
  extra: { text: string; target: string; ok: boolean } | null = null,
  // The share of the floor's rate to reach (0.8: at least 80% of it).
  floorShare: number | null = null,
): ResultRow {
  const checks: { text: string; ok: boolean }[] = []
  if (minimum !== null) checks.push({ text: `≥ ${count(minimum)} ${unit}`, ok: rate >= minimum })
  if (floorShare !== null && floorRate !== null) {
    checks.push({
      text: `≥ ${Math.round(floorShare * 100)}% of floor (now ${Math.round((100 * rate) / floorRate)}%)`,
      ok: rate >= floorShare * floorRate,
    })
  }
  if (extra) checks.push({ text: extra.target, ok: extra.ok })
  return {
    name,
    http: `${count(rate)} ${unit}${extra ? `, ${extra.text}` : ''}`,
    floor: floorRate === null ? '—' : `${count(floorRate)} ${unit} (${floorLabel})`,
    ratio: floorRate === null ? '—' : `${(floorRate / rate).toFixed(1)}×`,
    target: checks.length ? checks.map((check) => check.text).join(', ') : '—',
    pass: checks.length ? checks.every((check) => check.ok) : null,
  }
}

const escapeCell = (text: string) => text.replaceAll('|', '\\|')

export function markdownReport(heading: string, notes: string[], rows: ResultRow[]): string {
  const lines = [
    heading,
    '',
    ...notes.map((note) => `- ${note}`),
    '',
    '| Case | HTTP (p50 / p95) | Floor (p50 / p95) | HTTP ÷ floor | Target | Result |',
    '| --- | ---: | ---: | ---: | --- | --- |',
    ...rows.map((row) =>
      [row.name, row.http, row.floor, row.ratio, row.target, resultText(row.pass)]
        .map(escapeCell)
        .join(' | ')
        .replace(/^/, '| ')
        .replace(/$/, ' |'),
    ),
  ]
  const failed = rows.filter((row) => row.pass === false).length
  const checked = rows.filter((row) => row.pass !== null).length
  lines.push('', `${checked - failed} of ${checked} targets met.`)
  return `${lines.join('\n')}\n`
}

const resultText = (pass: boolean | null) => (pass === null ? '—' : pass ? 'PASS' : '**FAIL**')
