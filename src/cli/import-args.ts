// `scripts/import` arguments: parsed into typed options, or a message saying what is wrong.
import { type ColumnType, isColumnType } from '../datasource/column-types.js'
import { slugify } from '../lib/slug.js'

export const USAGE = `Usage: scripts/import FILE --table NAME [options]

Imports a CSV file into a new table (or, with --append, into an existing one).

Options:
  --table NAME         the table's name (for --append: its name or slug)     required
  --owner USERNAME     the user who owns the table                           default: demo
  --append             add the rows to an existing table of the owner's
  --private            make the new table private (new tables are public)
  --type COL=TYPE      a column's type instead of the inferred one; repeatable,
                       or comma-separated (e.g. --type votes=integer,day=date)
  --delimiter CHAR     , ; | or tab (detected when not given)
  -h, --help           show this help

Types: text, long_text, integer, decimal, boolean, date, datetime, email, url, json.
The database comes from DATABASE_URL (or PGLITE_DIR), as for the app.`

export interface ImportOptions {
  file: string
  table: string
  owner: string
  append: boolean
  isPublic: boolean
  // Column (CSV header, column name or slug) → type, in the order given.
  types: { column: string; type: ColumnType }[]
  delimiter: string | undefined
}

export type ParsedArgs =
  | { kind: 'options'; options: ImportOptions }
  | { kind: 'help' }
  | { kind: 'error'; message: string }

const DELIMITERS: Record<string, string> = {
  ',': ',',
  ';': ';',
  '|': '|',
  '\t': '\t',
  '\\t': '\t',
  tab: '\t',
}

const VALUE_OPTIONS = new Set(['--table', '--owner', '--type', '--delimiter'])
const FLAG_OPTIONS = new Set(['--append', '--private', '--help', '-h'])
const MAX_NAME = 100

const error = (message: string): ParsedArgs => ({ kind: 'error', message })

function parseTypes(values: string[]): ImportOptions['types'] | string {
  const types: ImportOptions['types'] = []
  for (const pair of values.flatMap((value) => value.split(','))) {
    const match = /^(.+)=(.+)$/.exec(pair.trim())
    const column = match?.[1]?.trim()
    const type = match?.[2]?.trim().toLowerCase()
    if (!column || !type) return `--type expects COLUMN=TYPE, e.g. votes=integer (got "${pair}")`
    if (type === 'choice') {
      return `--type ${column}=choice: a choice column needs its choices; import it as text and change the type in the app`
    }
    if (!isColumnType(type))
      return `--type ${column}=${type}: unknown type (see --help for the list)`
    types.push({ column, type })
  }
  return types
}

export function parseImportArgs(argv: readonly string[]): ParsedArgs {
  const values = new Map<string, string[]>()
  const flags = new Set<string>()
  const positionals: string[] = []
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] ?? ''
    if (arg === '--') {
      positionals.push(...argv.slice(i + 1))
      break
    }
    if (!arg.startsWith('-') || arg === '-') {
      positionals.push(arg)
      continue
    }
    const equals = arg.indexOf('=')
    const name = equals > 0 ? arg.slice(0, equals) : arg
    if (FLAG_OPTIONS.has(name)) {
      if (equals > 0) return error(`${name} takes no value`)
      flags.add(name)
    } else if (VALUE_OPTIONS.has(name)) {
      const value = equals > 0 ? arg.slice(equals + 1) : argv[++i]
      if (value === undefined) return error(`${name} needs a value`)
      values.set(name, [...(values.get(name) ?? []), value])
    } else {
      return error(`Unknown option ${name}`)
    }
  }
  if (flags.has('--help') || flags.has('-h')) return { kind: 'help' }

  for (const name of ['--table', '--owner', '--delimiter']) {
    if ((values.get(name)?.length ?? 0) > 1) return error(`${name} is given more than once`)
  }
  if (positionals.length === 0) return error('Which file? Give the CSV file as the first argument')
  if (positionals.length > 1) return error(`One file at a time (got ${positionals.join(', ')})`)
  const table = values.get('--table')?.[0]?.trim()
  if (!table) return error('--table NAME is required')
  if (table.length > MAX_NAME)
    return error(`--table: a name must be at most ${MAX_NAME} characters`)
  const owner = values.get('--owner')?.[0]?.trim() ?? 'demo'
  if (!owner) return error('--owner needs a username')

  const rawDelimiter = values.get('--delimiter')?.[0]
  const delimiter = rawDelimiter === undefined ? undefined : DELIMITERS[rawDelimiter]
  if (rawDelimiter !== undefined && !delimiter) {
    return error(`--delimiter must be one of , ; | tab (got "${rawDelimiter}")`)
  }
  const types = parseTypes(values.get('--type') ?? [])
  if (typeof types === 'string') return error(types)

  const append = flags.has('--append')
  if (append && types.length)
    return error('--type is for a new table: --append uses the table’s own types')
  if (append && flags.has('--private'))
    return error('--private is for a new table: it cannot be used with --append')

  return {
    kind: 'options',
    options: {
      file: positionals[0] ?? '',
      table,
      owner,
      append,
      isPublic: !flags.has('--private'),
      types,
      delimiter,
    },
  }
}

// Resolving the options against the file: a name matches by its slug, so `First name`,
// `first_name` and `FIRST NAME` are the same column.
const sameSlug = (a: string, b: string) => {
  const slug = slugify(a, '_')
  return slug !== '' && slug === slugify(b, '_')
}

export type Resolved<T> = { ok: true; value: T } | { ok: false; message: string }

// The inferred columns with `--type` applied; each override names a CSV header or column name.
export function applyTypeOverrides<C extends { name: string; type: ColumnType }>(
  header: readonly string[],
  columns: readonly C[],
  types: ImportOptions['types'],
): Resolved<C[]> {
  const result = [...columns]
  for (const { column, type } of types) {
    const index = columns.findIndex(
      (candidate, i) => sameSlug(candidate.name, column) || sameSlug(header[i] ?? '', column),
    )
    const target = result[index]
    if (!target) {
      const names = columns.map((candidate) => candidate.name).join(', ')
      return {
        ok: false,
        message: `--type ${column}: the file has no such column (it has: ${names})`,
      }
    }
    result[index] = { ...target, type }
  }
  return { ok: true, value: result }
}
