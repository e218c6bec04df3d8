// The filter grammar: `?votes__gt=30000&party__exact=Labour`, one filter per column and operator,
// each value read with its column type's rules. A bad filter is left out with a message, never an error.
import { escapeLike } from '../lib/search.js'
import { isLinkList } from './column-type/link.js'
import { type ColumnType, parseValue, textProblem } from './column-types.js'
import type { ColumnInfo } from './types.js'

export const FILTER_OPERATORS = [
  'exact',
  'not',
  'contains',
  'startswith',
  'endswith',
  'gt',
  'gte',
  'lt',
  'lte',
  'in',
  'year',
  'month',
  'isnull',
  'notnull',
  'display',
] as const

export type FilterOperator = (typeof FILTER_OPERATORS)[number]

export const OPERATOR_LABELS: Record<FilterOperator, string> = {
  exact: 'is',
  not: 'is not',
  contains: 'contains',
  startswith: 'starts with',
  endswith: 'ends with',
  gt: '>',
  gte: '≥',
  lt: '<',
  lte: '≤',
  in: 'is one of',
  year: 'in the year',
  month: 'in the month',
  isnull: 'is empty',
  notnull: 'is not empty',
  display: 'shows',
}

const TEXT: readonly FilterOperator[] = [
  'exact',
  'not',
  'contains',
  'startswith',
  'endswith',
  'in',
  'isnull',
  'notnull',
]
const NUMBER: readonly FilterOperator[] = [
  'exact',
  'not',
  'gt',
  'gte',
  'lt',
  'lte',
  'in',
  'isnull',
  'notnull',
]
const DATE: readonly FilterOperator[] = [
  ...NUMBER.slice(0, 7),
  'year',
  'month',
  'isnull',
  'notnull',
]

// Which operators each column type takes: a record, so a new type must say.
const OPERATORS_BY_TYPE: Record<ColumnType, readonly FilterOperator[]> = {
  text: TEXT,
  long_text: TEXT,
  choice: TEXT,
  email: TEXT,
  url: TEXT,
  integer: NUMBER,
  decimal: NUMBER,
  date: DATE,
  datetime: DATE,
  boolean: ['exact', 'isnull', 'notnull'],
  json: ['isnull', 'notnull'],
  file: ['isnull', 'notnull'],
  image: ['isnull', 'notnull'],
  // By the linked row's id (exact, isnull, notnull), or its display value: `display` is exactly it
  // (case-sensitive), `contains` and `startswith` ignore case.
  link: ['exact', 'display', 'contains', 'startswith', 'isnull', 'notnull'],
}

export const operatorsFor = (type: ColumnType) => OPERATORS_BY_TYPE[type]

// A column's operators: several links per cell are matched by id only.
export const columnOperators = (column: ColumnInfo): readonly FilterOperator[] =>
  isLinkList(column) ? LINK_LIST_OPERATORS : operatorsFor(column.type)
const LINK_LIST_OPERATORS: readonly FilterOperator[] = ['exact', 'isnull', 'notnull']

// Operators that take no value: `?notes__isnull=1` (the value is not read).
export const takesNoValue = (operator: string) => operator === 'isnull' || operator === 'notnull'

export interface Filter {
  column: ColumnInfo
  operator: FilterOperator
  // Values as Postgres reads them for the column's type; for contains, startswith and endswith a
  // LIKE pattern; for year and month the start and end of the range.
  values: string[]
  // The parameter as given, to carry on into links: `votes__gt` and `30000`.
  key: string
  raw: string
}

// A parameter left out and why, for the page to show ("Votes: “abc” must be a whole number.").
export interface FilterProblem {
  key: string
  message: string
}

export interface ReadFilters {
  filters: Filter[]
  problems: FilterProblem[]
}

export const MAX_FILTERS = 20
export const MAX_IN_VALUES = 100
const MAX_VALUE_LENGTH = 1000
const SHOWN_CHARS = 60

// A user's text quoted in a message, bounded.
const quote = (text: string) =>
  `“${text.length > SHOWN_CHARS ? `${text.slice(0, SHOWN_CHARS)}…` : text}”`
const lowerFirst = (text: string) => text.charAt(0).toLowerCase() + text.slice(1)

type Reading = { ok: true; values: string[] } | { ok: false; message: string }
const fine = (...values: string[]): Reading => ({ ok: true, values })
const bad = (message: string): Reading => ({ ok: false, message })

// One value, read as the column's type would read it.
function typed(column: ColumnInfo, raw: string): Reading {
  const parsed = parseValue(column.type, raw, column.choices)
  if (!parsed.ok) return bad(`${quote(raw)} ${lowerFirst(parsed.message)}`)
  if (parsed.value === null) return bad('give a value (or use “is empty”)')
  return fine(parsed.value)
}

// `a,b,c`, or a JSON array of strings and numbers for values that hold commas.
function listItems(raw: string): string[] | null {
  const text = raw.trim()
  if (!text.startsWith('[')) return text.split(',')
  try {
    // Text that starts with [ parses only as an array.
    const list = JSON.parse(text) as unknown[]
    if (!list.every((item) => typeof item === 'string' || typeof item === 'number')) return null
    return list.map(String)
  } catch {
    return null
  }
}

function many(column: ColumnInfo, raw: string): Reading {
  const items = listItems(raw)
  if (!items) return bad(`${quote(raw)} is not a list (use a,b,c or a JSON array)`)
  if (items.length > MAX_IN_VALUES) return bad(`at most ${MAX_IN_VALUES} values in a list`)
  const values: string[] = []
  for (const item of items) {
    const one = typed(column, item)
    if (!one.ok) return one
    values.push(...one.values)
  }
  return fine(...new Set(values))
}

function pattern(raw: string, before: string, after: string): Reading {
  const problem = textProblem(raw)
  if (problem) return bad(lowerFirst(problem))
  if (raw.trim() === '') return bad('give some text to look for')
  return fine(`${before}${escapeLike(raw)}${after}`)
}

// A link's display value, compared as it is.
function shown(raw: string): Reading {
  const problem = textProblem(raw)
  if (problem) return bad(lowerFirst(problem))
  if (raw === '') return bad('give a value (or use “is empty”)')
  return fine(raw)
}

const pad = (n: number, width = 2) => String(n).padStart(width, '0')

// Year and month are ranges [start, end), so the column's B-tree index serves them.
function range(column: ColumnInfo, start: [number, number], end: [number, number]): Reading {
  const day = (year: number, month: number) => `${pad(year, 4)}-${pad(month)}-01`
  const at = (year: number, month: number) =>
    column.type === 'datetime' ? `${day(year, month)}T00:00:00Z` : day(year, month)
  return fine(at(...start), at(...end))
}

function year(column: ColumnInfo, raw: string): Reading {
  const text = raw.trim()
  const n = Number(text)
  if (!/^\d{4}$/.test(text) || n < 100) return bad(`${quote(raw)} is not a year like 2017`)
  return range(column, [n, 1], [n + 1, 1])
}

function month(column: ColumnInfo, raw: string): Reading {
  const match = /^(\d{4})-(\d{2})$/.exec(raw.trim())
  const y = Number(match?.[1])
  const m = Number(match?.[2])
  if (!match || y < 100 || m < 1 || m > 12) return bad(`${quote(raw)} is not a month like 2017-06`)
  return range(column, [y, m], m === 12 ? [y + 1, 1] : [y, m + 1])
}

function readValue(column: ColumnInfo, operator: FilterOperator, raw: string): Reading {
  if (takesNoValue(operator)) return fine()
  if (raw.length > MAX_VALUE_LENGTH) {
    return bad(`a value of at most ${MAX_VALUE_LENGTH.toLocaleString('en-GB')} characters`)
  }
  switch (operator) {
    case 'contains':
      return pattern(raw, '%', '%')
    case 'startswith':
      return pattern(raw, '', '%')
    case 'endswith':
      return pattern(raw, '%', '')
    case 'in':
      return many(column, raw)
    case 'year':
      return year(column, raw)
    case 'month':
      return month(column, raw)
    case 'display':
      return shown(raw)
    default:
      return typed(column, raw)
  }
}

// Splits `slug__operator` at its last `__` (slugs never hold two underscores in a row).
export function filterKey(key: string): { slug: string; operator: string } | null {
  const at = key.lastIndexOf('__')
  if (at < 0 || key.startsWith('_')) return null
  return { slug: key.slice(0, at), operator: key.slice(at + 2) }
}

const isOperator = (text: string): text is FilterOperator =>
  (FILTER_OPERATORS as readonly string[]).includes(text)

// The filters among a query's parameters; parameters without `__` (or starting with `_`) are not filters.
export function readFilters(
  columns: readonly ColumnInfo[],
  query: Record<string, string | undefined>,
): ReadFilters {
  const filters: Filter[] = []
  const problems: FilterProblem[] = []
  for (const [key, raw] of Object.entries(query)) {
    const parts = filterKey(key)
    if (!parts || raw === undefined) continue
    const refuse = (message: string) => problems.push({ key: key.slice(0, 100), message })
    const column = columns.find((candidate) => candidate.slug === parts.slug)
    if (!column) {
      refuse(`No column ${quote(parts.slug)} to filter on.`)
      continue
    }
    const allowed = columnOperators(column)
    if (!isOperator(parts.operator) || !allowed.includes(parts.operator)) {
      refuse(
        `${column.name}: cannot filter by ${quote(parts.operator)} (use ${allowed.join(', ')}).`,
      )
      continue
    }
    if (filters.length === MAX_FILTERS) {
      refuse(`At most ${MAX_FILTERS} filters: ${column.name} ${parts.operator} was left out.`)
      continue
    }
    const reading = readValue(column, parts.operator, raw)
    if (!reading.ok) {
      refuse(`${column.name}: ${reading.message}.`)
      continue
    }
    filters.push({
      column,
      operator: parts.operator,
      values: reading.values,
      key,
      raw: takesNoValue(parts.operator) ? '1' : raw,
    })
  }
  return { filters, problems }
}

// The filters as query parameters, for links that keep them.
export const filterParams = (filters: readonly Filter[]): Record<string, string> =>
  Object.fromEntries(filters.map((filter) => [filter.key, filter.raw]))
