// `scripts/import FILE --table NAME`: a CSV file into a new or existing table, with a progress bar.
import { statSync } from 'node:fs'
import { resolve } from 'node:path'
import { openTable } from '../application/access.js'
import { type ActorUser, cliActor } from '../application/actor.js'
import { AppError, MovedError, NotFoundError } from '../application/errors.js'
import { appendFile, importFileAsTable, matchHeaders } from '../application/imports.js'
import { findUserByUsername } from '../auth/users.js'
import { ConfigError, loadDotEnv, readConfig } from '../config.js'
import { CsvSyntaxError } from '../csv/index.js'
import { findTable } from '../datasource/catalog.js'
import type { TableInfo } from '../datasource/types.js'
import { type Database, openDatabase } from '../db/database.js'
import { migrateToLatest } from '../db/migrate.js'
import { type CsvInspection, inspectCsvFile } from '../import/csv-file.js'
import { DEMO_USERNAME, ensureDemoUser } from '../import/demo-data.js'
import { slugify } from '../lib/slug.js'
import { tableUrl } from '../web/urls.js'
import { applyTypeOverrides, type ImportOptions, parseImportArgs, USAGE } from './import-args.js'
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

// Whoever runs scripts/import on the server acts as the owner they name (see cliActor).
async function resolveOwner(database: Database, username: string): Promise<ActorUser> {
  const user = await findUserByUsername(database.db, username)
  if (user)
    return { id: user.id, username: user.username, name: user.name, avatarUrl: user.avatar_url }
  // The demo user is the app's own, so a fresh database gets it on first use (as `scripts/seed` does).
  if (username.toLowerCase() === DEMO_USERNAME) {
    const id = await ensureDemoUser(database)
    return { id, username: DEMO_USERNAME, name: null, avatarUrl: null }
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
    // The command line is for the operator: no table quota.
    const { result, reporter, elapsedMs } = await withProgress(inspection.rowCount, (reporter) =>
      importFileAsTable(
        database,
        cliActor(owner),
        owner.username,
        path,
        {
          name: options.table,
          isPublic: options.isPublic,
          columns: resolved.value,
          delimiter: inspection.delimiter,
          onProgress: reporter.update,
        },
        Number.POSITIVE_INFINITY,
      ),
    )
    reporter.finish(result.rows)
    // On Postgres the indexes are built after the rows commit; wait, so sorts are fast at once.
    const indexStart = Date.now()
    await result.indexing
    if (database.kind === 'postgres')
      say(`Indexes built in ${((Date.now() - indexStart) / 1000).toFixed(1)} s`)
    return { table: result.table, rows: result.rows, elapsedMs }
  } catch (error) {
    const taken = error instanceof AppError && error.kind === 'conflict'
    throw taken ? tableExists(owner.username, slug) : error
  }
}

// The owner's table by name (a renamed table by its old name too), opened to add rows.
async function findOwnTable(
  database: Database,
  owner: ActorUser,
  name: string,
): Promise<TableInfo> {
  const slug = slugify(name, '-')
  const open = (at: string) =>
    openTable(database.db, cliActor(owner), { username: owner.username, slug: at }, 'write')
  try {
    return await open(slug)
  } catch (error) {
    if (error instanceof MovedError) return open(error.slug)
    if (error instanceof NotFoundError) {
      throw new CliError(`No table ${owner.username}/${slug}: leave out --append to create it`)
    }
    throw error
  }
}

async function importAppend(database: Database, options: ImportOptions, path: string) {
  const owner = await resolveOwner(database, options.owner)
  const table = await findOwnTable(database, owner, options.table)
  const inspection = await inspect(path, options.delimiter)
  const targets = matchHeaders(table, inspection.header)
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
    appendFile(database, cliActor(owner), table, path, targets, {
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
  // An import refused at a line (and column) of the file, else the refusal's own words.
  if (error instanceof AppError && typeof error.details.reason === 'string') {
    const { line, column, reason } = error.details as {
      line: number | null
      column: string | null
      reason: string
    }
    return formatFailure({ line, column, reason })
  }
  if (error instanceof AppError) return error.message
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
