// Deterministic pseudo-random rows for the benchmark table: 7 columns, one of each common kind.

import { once } from 'node:events'
import { createWriteStream } from 'node:fs'
import type { CsvRecord } from '../csv/index.js'
import { formatCsvRow } from '../csv/index.js'
import type { ColumnSpec } from '../datasource/types.js'

export const BENCH_COLUMNS: ColumnSpec[] = [
  { name: 'Name', type: 'text' },
  { name: 'Region', type: 'text' }, // few distinct values
  { name: 'Quantity', type: 'integer' },
  { name: 'Price', type: 'decimal' },
  { name: 'Day', type: 'date' },
  { name: 'Active', type: 'boolean' },
  { name: 'Notes', type: 'long_text' },
]

// The same column types as a plain Postgres table, for the `psql \copy` comparison.
export const PLAIN_COLUMN_TYPES = ['text', 'text', 'bigint', 'numeric', 'date', 'boolean', 'text']

// In about 1 row in 10,000 (in Notes); and a substring found in many rows.
export const RARE_WORD = 'zebra'
export const COMMON_WORD = 'river'

const REGIONS = ['North', 'South', 'East', 'West', 'Central', 'Highlands', 'Islands', 'Coast']
const ADJECTIVES = ['Amber', 'Brisk', 'Calm', 'Dusty', 'Eager', 'Faint', 'Grand', 'Hollow', 'Ivory']
const NOUNS = ['Falcon', 'Harbour', 'Meadow', 'Lantern', 'Orchard', 'Quarry', 'Summit', 'Thicket']
const WORDS = (
  'the a of and stone field river bright quiet market bridge old new morning evening road ' +
  'garden window copper silver north south light dark small large green blue after before'
).split(' ')

// mulberry32: tiny, fast, and the same sequence on every machine.
export function prng(seed: number): () => number {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

const DAY_MS = 86_400_000
const FIRST_DAY = Date.UTC(2000, 0, 1)
const DAYS = 26 * 365

export function* benchRows(count: number, seed = 20261121): Generator<string[]> {
  const random = prng(seed)
  const int = (n: number) => Math.floor(random() * n)
  const pick = (list: readonly string[]) => list[int(list.length)] ?? ''
  for (let i = 0; i < count; i++) {
    const words: string[] = []
    const length = 8 + int(50)
    for (let w = 0; w < length; w++) words.push(pick(WORDS))
    if (random() < 0.0001) words.splice(int(words.length), 0, RARE_WORD)
    if (random() < 0.05) words.splice(int(words.length), 0, 'commas, and "quotes"')
    yield [
      `${pick(ADJECTIVES)} ${pick(NOUNS)} ${int(100_000)}`,
      pick(REGIONS),
      random() < 0.01 ? '' : String(int(1_000_000) - 1000),
      random() < 0.01 ? '' : (int(10_000_000) / 100).toFixed(2),
      new Date(FIRST_DAY + int(DAYS) * DAY_MS).toISOString().slice(0, 10),
      random() < 0.5 ? 'true' : 'false',
      words.join(' '),
    ]
  }
}

// The record stream importNewTable takes, as a parsed CSV file would give it (line 1 = header).
export async function* benchRecords(count: number): AsyncGenerator<CsvRecord> {
  let line = 1
  for (const fields of benchRows(count)) yield { line: ++line, fields }
}

// The same rows as a CSV file (with a header row if given), for imports and `psql \copy`.
export async function writeBenchCsv(
  path: string,
  count: number,
  header: string[] | null = null,
): Promise<void> {
  const out = createWriteStream(path)
  let chunk: string[] = header ? [formatCsvRow(header)] : []
  for (const fields of benchRows(count)) {
    chunk.push(formatCsvRow(fields.map((value) => (value === '' ? null : value))))
    if (chunk.length >= 5000) {
      if (!out.write(chunk.join(''))) await once(out, 'drain')
      chunk = []
    }
  }
  out.end(chunk.join(''))
  await once(out, 'finish')
}
