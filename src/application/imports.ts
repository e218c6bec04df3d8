// CSV imports for an actor: a file as a new table (within the quota), a file or a stream appended
// to a table (the write scope), CSV headers matched to columns the same way for every adapter.

import type { ColumnInfo, TableInfo } from '../datasource/types.js'
import type { Database } from '../db/database.js'
import {
  appendCsvFile,
  appendCsvStream,
  type CsvTableOptions,
  importCsvFileAsTable,
} from '../import/csv-file.js'
import { slugify } from '../lib/slug.js'
import { requireAccess, requireAccount } from './access.js'
import type { Actor } from './actor.js'
import { ForbiddenError, InvalidError } from './errors.js'
import { refusing } from './refusals.js'
import { checkTableQuota } from './table-quota.js'

// A CSV header names a column by its slug or (ignoring case) its name.
export function matchHeader(table: TableInfo, header: string): ColumnInfo | null {
  const slug = slugify(header, '_')
  const name = header.trim().toLowerCase()
  return (
    table.columns.find((column) => column.slug === slug || column.name.toLowerCase() === name) ??
    null
  )
}

// Every header must name a column, and no column twice: else a refusal that names them.
export function matchHeaders(table: TableInfo, header: readonly string[]): ColumnInfo[] {
  const label = `${table.owner.username}/${table.slug}`
  const targets = header.map((name) => matchHeader(table, name))
  const unknown = header.filter((_, index) => targets[index] === null).map((name) => `"${name}"`)
  if (unknown.length) {
    const known = table.columns.map((column) => column.name).join(', ')
    throw new InvalidError(
      `No column of ${label} matches the CSV column${unknown.length === 1 ? '' : 's'} ${unknown.join(', ')} (its columns: ${known})`,
    )
  }
  const seen = new Map<ColumnInfo, string>()
  header.forEach((name, index) => {
    const target = targets[index] as ColumnInfo
    const earlier = seen.get(target)
    if (earlier !== undefined) {
      throw new InvalidError(
        `The CSV columns "${earlier}" and "${name}" both match the column "${target.name}"`,
      )
    }
    seen.set(target, name)
  })
  return targets as ColumnInfo[]
}

export async function importFileAsTable(
  database: Database,
  actor: Actor,
  username: string,
  path: string,
  options: Omit<CsvTableOptions, 'ownerId'>,
  maxTables: number,
) {
  const user = requireAccount(actor, username, 'You can only import into tables of your own.')
  if (actor.tableIds !== null) {
    throw new ForbiddenError('This API token is limited to chosen tables, so it cannot create one.')
  }
  return refusing(async () => {
    await checkTableQuota(database.db, user.id, maxTables)
    return importCsvFileAsTable(database, path, { ...options, ownerId: user.id })
  })
}

// `targets[i]` receives CSV column i (null skips it). Returns how many rows were added.
export async function appendFile(
  database: Database,
  actor: Actor,
  table: TableInfo,
  path: string,
  targets: (ColumnInfo | null)[],
  options: Parameters<typeof appendCsvFile>[4] = {},
): Promise<number> {
  requireAccess(actor, table, 'write')
  return refusing(() => appendCsvFile(database, table, path, targets, options))
}

// A CSV body whose header names the columns; streamed through COPY, all rows or none.
export async function appendCsv(
  database: Database,
  actor: Actor,
  table: TableInfo,
  source: AsyncIterable<Uint8Array>,
): Promise<number> {
  requireAccess(actor, table, 'write')
  return refusing(() =>
    appendCsvStream(database, table, source, (header) => matchHeaders(table, header)),
  )
}
