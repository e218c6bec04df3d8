// `scripts/import FILE --table NAME`: a CSV file into a new or existing table, with a progress bar.
import { statSync } from 'node:fs'
import { resolve } from 'node:path'
import { findUserByUsername } from '../auth/users.js'
import { ConfigError, loadDotEnv, readConfig } from '../config.js'
import { CsvSyntaxError } from '../csv/index.js'
import { findTable } from '../datasource/catalog.js'
import { ImportError } from '../datasource/import.js'
import { SlugTakenError } from '../datasource/tables.js'
import type { TableInfo } from '../datasource/types.js'
import { type Database, openDatabase } from '../db/database.js'
import { migrateToLatest } from '../db/migrate.js'
import {
  appendCsvFile,
  type CsvInspection,
  importCsvFileAsTable,
  inspectCsvFile,
} from '../import/csv-file.js'
import { DEMO_USERNAME, ensureDemoUser } from '../import/demo-data.js'
import { slugify } from '../lib/slug.js'
import { tableUrl } from '../web/urls.js'
import {
  applyTypeOverrides,
  type ImportOptions,
  matchHeaders,
  parseImportArgs,
  USAGE,
} from './import-args.js'
import {
  createProgressReporter,
  formatCount,
  formatElapsed,
  formatFailure,
  formatSummary,
  formatTable,
  type ProgressReporter,
  plural,
} from './progress.js'

// A problem worth one line to the person importing, not a stack trace.
class CliError extends Error {}

const say = (text: string) => process.stderr.write(`${text}\n`)
const DELIMITER_NAMES: Record<string, string> = {
  ',': 'comma',
  ';': 'semicolon',
  '\t': 'tab',
  '|': 'pipe',
}

async function resolveOwner(database: Database, username: string) {
  const user = await findUserByUsername(database.db, username)
  if (user) return { id: user.id, username: user.username }
  // The demo user is the app's own, so a fresh database gets it on first use (as `scripts/seed` does).
  if (username.toLowerCase() === DEMO_USERNAME) {
    return { id: await ensureDemoUser(database), username: DEMO_USERNAME }
  }
  throw new CliError(`No user '${username}': sign in once to create it, or use --owner demo`)
}

async function inspect(path: string, delimiter: string | undefined): Promise<CsvInspection> {
  say(`Reading ${path} …`)
  const started = performance.now()
  const inspection = await inspectCsvFile(path, delimiter)
  const delimiterName = DELIMITER_NAMES[inspection.delimiter] ?? inspection.delimiter
  say(
    `Encoding ${inspection.encoding}, delimiter ${delimiterName}, ${plural(inspection.rowCount, 'row')}, ` +
      `${plural(inspection.header.length, 'column')} (read in ${formatElapsed(performance.now() - started)})`,
  )
  if (inspection.raggedCount > 0) {
    const lines = inspection.ragged.map(
      ({ line, count }) => `  line ${formatCount(line)}: ${count} values`,
    )
    const more = inspection.raggedCount - inspection.ragged.length
    if (more > 0) lines.push(`  … and ${formatCount(more)} more`)
    throw new CliError(
      [
        `${plural(inspection.raggedCount, 'row')} ${inspection.raggedCount === 1 ? 'does' : 'do'} not have ${inspection.header.length} values, as the header does:`,
        ...lines,
        'Fix them (a value containing the delimiter must be quoted) and try again. Nothing was imported.',
      ].join('\n'),
    )
  }
  return inspection
}

function progressReporter(total: number): ProgressReporter {
  return createProgressReporter({
    total,
    tty: process.stderr.isTTY === true,
    write: (text) => process.stderr.write(text),
    now: () => performance.now(),
  })
}

async function withProgress<T>(total: number, run: (reporter: ProgressReporter) => Promise<T>) {
  const reporter = progressReporter(total)
  const started = performance.now()
  try {
    const result = await run(reporter)
    return { result, reporter, elapsedMs: performance.now() - started }
  } catch (error) {
    reporter.abort()
    throw error
  }
}

const tableExists = (owner: string, slug: string) =>
  new CliError(
    `${owner}/${slug} already exists: add --append to add the rows to it, or choose another --table name`,
  )

async function importNew(database: Database, options: ImportOptions, path: string) {
  const owner = await resolveOwner(database, options.owner)
  // Checked again as the table is created; this saves reading a big file first.
  const slug = slugify(options.table, '-') || 'table'
  const existing = await findTable(database.db, owner.username, slug)
  if (existing.found !== 'none') throw tableExists(owner.username, slug)
  const inspection = await inspect(path, options.delimiter)
  const resolved = applyTypeOverrides(inspection.header, inspection.columns, options.types)
  if (!resolved.ok) throw new CliError(resolved.message)
  const overridden = new Set(options.types.map((type) => slugify(type.column, '_')))
  const rows = resolved.value.map((column, index) => {
    const header = inspection.header[index] ?? ''
    const set = overridden.has(slugify(column.name, '_')) || overridden.has(slugify(header, '_'))
    return [header, column.name, column.type, set ? '(--type)' : '']
  })
  say(formatTable([['CSV header', 'Column', 'Type', ''], ...rows]))
  try {
    const { result, reporter, elapsedMs } = await withProgress(inspection.rowCount, (reporter) =>
      importCsvFileAsTable(database, path, {
        ownerId: owner.id,
        name: options.table,
        isPublic: options.isPublic,
        columns: resolved.value,
        delimiter: inspection.delimiter,
        onProgress: reporter.update,
      }),
    )
    reporter.finish(result.rows)
    // On Postgres the indexes are built after the rows commit; wait, so sorts are fast at once.
    const indexStart = Date.now()
    await result.indexing
    if (database.kind === 'postgres')
      say(`Indexes built in ${((Date.now() - indexStart) / 1000).toFixed(1)} s`)
    return { table: result.table, rows: result.rows, elapsedMs }
  } catch (error) {
    throw error instanceof SlugTakenError ? tableExists(owner.username, error.slug) : error
  }
}

async function findOwnTable(database: Database, owner: string, name: string): Promise<TableInfo> {
  const slug = slugify(name, '-')
  let lookup = await findTable(database.db, owner, slug)
  if (lookup.found === 'redirect') lookup = await findTable(database.db, owner, lookup.slug)
  if (lookup.found !== 'table') {
    throw new CliError(`No table ${owner}/${slug}: leave out --append to create it`)
  }
  return lookup.table
}

async function importAppend(database: Database, options: ImportOptions, path: string) {
  const owner = await resolveOwner(database, options.owner)
  const table = await findOwnTable(database, owner.username, options.table)
  const label = `${table.owner.username}/${table.slug}`
  const inspection = await inspect(path, options.delimiter)
  const matched = matchHeaders(inspection.header, table.columns, label)
  if (!matched.ok) throw new CliError(matched.message)
  const targets = matched.value
  say(
    formatTable([
      ['CSV header', 'Column', 'Type'],
      ...targets.map((column, index) => [inspection.header[index] ?? '', column.name, column.type]),
    ]),
  )
  const left = table.columns.filter((column) => !targets.includes(column))
  if (left.length)
    say(`Not in the file, left empty: ${left.map((column) => column.name).join(', ')}`)
  const { result, reporter, elapsedMs } = await withProgress(inspection.rowCount, (reporter) =>
    appendCsvFile(database, table, path, targets, {
      delimiter: inspection.delimiter,
      onProgress: reporter.update,
    }),
  )
  reporter.finish(result)
  return { table, rows: result, elapsedMs }
}

async function run(database: Database, options: ImportOptions): Promise<void> {
  // scripts/import runs from the repository root; the file is named relative to where it was called.
  const path = resolve(process.env.IMPORT_CWD ?? process.cwd(), options.file)
  const stat = statSync(path, { throwIfNoEntry: false })
  if (!stat?.isFile()) throw new CliError(`No such file: ${path}`)
  await migrateToLatest(database.db)
  const { table, rows, elapsedMs } = options.append
    ? await importAppend(database, options, path)
    : await importNew(database, options, path)
  const owner = table.owner.username
  console.log(formatSummary({ rows, owner, slug: table.slug, elapsedMs }))
  console.log(tableUrl(owner, table.slug))
}

function explain(error: unknown): string | null {
  if (error instanceof CliError) return error.message
  if (error instanceof ConfigError) return `Configuration error: ${error.message}`
  if (error instanceof ImportError) return formatFailure(error)
  if (error instanceof CsvSyntaxError) {
    const reason = error.message.replace(/ \(line \d+\)$/, '')
    return formatFailure({ line: error.line, column: null, reason })
  }
  return null
}

async function main(argv: string[]): Promise<number> {
  const parsed = parseImportArgs(argv)
  if (parsed.kind === 'help') {
    console.log(USAGE)
    return 0
  }
  if (parsed.kind === 'error') {
    say(`${parsed.message}\nRun scripts/import --help for the options.`)
    return 2
  }
  let database: Database | null = null
  try {
    loadDotEnv()
    const config = readConfig()
    database = await openDatabase({ ...config, databasePoolMax: 1 })
    await run(database, parsed.options)
    return 0
  } catch (error) {
    const message = explain(error)
    if (message === null) throw error
    say(message)
    return 1
  } finally {
    await database?.close()
  }
}

process.exitCode = await main(process.argv.slice(2))
