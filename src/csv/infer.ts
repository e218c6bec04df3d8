// Column type inference over every value of a CSV import, plus column name suggestions.

export type InferredType = 'integer' | 'decimal' | 'boolean' | 'date' | 'datetime' | 'text'

export type TypeInferrer = {
  add(fields: readonly string[]): void
  result(): InferredType[]
}

const INTEGER = 1
const DECIMAL = 2
const BOOLEAN = 4
const DATE = 8
const DATETIME = 16
const ANY = INTEGER | DECIMAL | BOOLEAN | DATE | DATETIME

// Narrowest first: the first type still possible for every value wins.
const PRECEDENCE: [number, InferredType][] = [
  [INTEGER, 'integer'],
  [DECIMAL, 'decimal'],
  [BOOLEAN, 'boolean'],
  [DATE, 'date'],
  [DATETIME, 'datetime'],
]

const INTEGER_PATTERN = /^[+-]?\d+$/
const DECIMAL_PATTERN = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/
const BOOLEANS = new Set(['true', 'false', 'yes', 'no', 't', 'f', 'y', 'n'])
const DATE_PATTERN = /^(\d{4})-(\d{2})-(\d{2})$/
const DATETIME_PATTERN =
  /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.\d{1,9})?)?(?:Z|[+-](\d{2}):(\d{2}))?$/
const INT64_MIN = -(2n ** 63n)
const INT64_MAX = 2n ** 63n - 1n

export function isInteger(value: string): boolean {
  if (!INTEGER_PATTERN.test(value)) return false
  if (value.length < 19) return true
  const number = BigInt(value)
  return number >= INT64_MIN && number <= INT64_MAX
}

export function isDecimal(value: string): boolean {
  return DECIMAL_PATTERN.test(value)
}

export function isBoolean(value: string): boolean {
  return value.length <= 5 && BOOLEANS.has(value.toLowerCase())
}

function isLeapYear(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0
}

function isCalendarDate(year: string, month: string, day: string): boolean {
  const y = Number(year)
  const m = Number(month)
  const d = Number(day)
  if (y < 1 || m < 1 || m > 12 || d < 1) return false
  const days = m === 2 ? (isLeapYear(y) ? 29 : 28) : [4, 6, 9, 11].includes(m) ? 30 : 31
  return d <= days
}

export function isDate(value: string): boolean {
  const match = DATE_PATTERN.exec(value)
  return (
    match !== null && isCalendarDate(match[1] as string, match[2] as string, match[3] as string)
  )
}

export function isDatetime(value: string): boolean {
  const match = DATETIME_PATTERN.exec(value)
  if (match === null) return false
  const [, year, month, day, hours, minutes, seconds, offsetHours, offsetMinutes] = match
  return (
    isCalendarDate(year as string, month as string, day as string) &&
    Number(hours) <= 23 &&
    Number(minutes) <= 59 &&
    Number(seconds ?? 0) <= 59 &&
    Number(offsetHours ?? 0) <= 15 &&
    Number(offsetMinutes ?? 0) <= 59
  )
}

// The types (as a bit set) among `possible` that a trimmed, non-empty value satisfies.
function typesOf(value: string, possible: number): number {
  let types = 0
  if (possible & DECIMAL && isDecimal(value)) {
    types |= DECIMAL
    if (possible & INTEGER && isInteger(value)) types |= INTEGER
  }
  if (possible & BOOLEAN && isBoolean(value)) types |= BOOLEAN
  if (possible & DATETIME) {
    // A plain date also fits a datetime column (midnight), as PostgreSQL reads it.
    if (isDate(value)) types |= DATE | DATETIME
    else if (isDatetime(value)) types |= DATETIME
  }
  return types
}

// Sees every record (streaming, O(columns) memory). Empty values are ignored; an all-empty
// column is text. Records shorter than `columnCount` count as empty; extra fields are ignored.
export function createTypeInferrer(columnCount: number): TypeInferrer {
  const possible: number[] = new Array(columnCount).fill(ANY)
  const seen: boolean[] = new Array(columnCount).fill(false)
  return {
    add(fields) {
      const count = Math.min(fields.length, columnCount)
      for (let i = 0; i < count; i++) {
        const types = possible[i] as number
        if (types === 0) continue
        const value = (fields[i] as string).trim()
        if (value === '') continue
        seen[i] = true
        possible[i] = types & typesOf(value, types)
      }
    },
    result() {
      return possible.map((types, i) => {
        if (!seen[i]) return 'text'
        const found = PRECEDENCE.find(([bit]) => types & bit)
        return found ? found[1] : 'text'
      })
    },
  }
}

// Trims headers, names empty ones `Column N` (1-based) and de-duplicates case-insensitively
// as `name`, `name 2`, `name 3`, ... never reusing a name that appears elsewhere in the header.
export function suggestColumnNames(header: readonly string[]): string[] {
  const names = header.map((raw, i) => raw.trim() || `Column ${i + 1}`)
  const reserved = new Set(names.map((name) => name.toLowerCase()))
  const used = new Set<string>()
  return names.map((name) => {
    let candidate = name
    for (let n = 2; used.has(candidate.toLowerCase()); n++) {
      candidate = `${name} ${n}`
      while (reserved.has(candidate.toLowerCase())) candidate = `${name} ${++n}`
    }
    used.add(candidate.toLowerCase())
    return candidate
  })
}
