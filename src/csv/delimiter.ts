// Guess a CSV file's delimiter from a sample of its text.

import { type CsvRecord, CsvTokenizer } from './parse.js'

export type CsvDelimiter = ',' | ';' | '\t' | '|'

export const DELIMITER_CANDIDATES: readonly CsvDelimiter[] = [',', ';', '\t', '|']

const MAX_SAMPLE_RECORDS = 100
const MAX_SAMPLE_CHARS = 1024 * 1024

function sampleRecords(sampleText: string, delimiter: string): CsvRecord[] {
  const tokenizer = new CsvTokenizer(delimiter)
  const records: CsvRecord[] = []
  try {
    tokenizer.push(sampleText.slice(0, MAX_SAMPLE_CHARS), records)
  } catch {
    // A row too wide to be a table's: the records before it are the sample.
  }
  // The last line of a sample may be cut short, so it only counts when it is the only one.
  if (records.length === 0) {
    try {
      tokenizer.finish(records)
    } catch {
      // An unterminated quote: nothing usable.
    }
  }
  return records.slice(0, MAX_SAMPLE_RECORDS)
}

type Score = { share: number; strayQuotes: number; fieldCount: number }

// Share of sampled records having the most common field count above 1 (0 when there is none),
// and how many fields kept a quote character: usually a sign of splitting inside quotes.
function score(records: CsvRecord[]): Score {
  const counts = new Map<number, number>()
  let strayQuotes = 0
  for (const { fields } of records) {
    if (fields.length > 1) counts.set(fields.length, (counts.get(fields.length) ?? 0) + 1)
    for (const field of fields) if (field.includes('"')) strayQuotes++
  }
  let share = 0
  let fieldCount = 0
  for (const [count, occurrences] of counts) {
    const countShare = occurrences / records.length
    if (countShare > share || (countShare === share && count > fieldCount)) {
      share = countShare
      fieldCount = count
    }
  }
  return { share, strayQuotes, fieldCount }
}

function isBetter(a: Score, b: Score): boolean {
  if (a.share !== b.share) return a.share > b.share
  if (a.strayQuotes !== b.strayQuotes) return a.strayQuotes < b.strayQuotes
  return a.fieldCount > b.fieldCount
}

// Picks the candidate giving the most consistent field count (ties: fewer fields containing
// quotes, then more fields, then the order of DELIMITER_CANDIDATES). Defaults to ','.
export function detectDelimiter(sampleText: string): CsvDelimiter {
  let best: CsvDelimiter = ','
  let bestScore: Score = { share: 0, strayQuotes: 0, fieldCount: 0 }
  for (const candidate of DELIMITER_CANDIDATES) {
    const candidateScore = score(sampleRecords(sampleText, candidate))
    if (isBetter(candidateScore, bestScore)) {
      best = candidate
      bestScore = candidateScore
    }
  }
  return best
}
