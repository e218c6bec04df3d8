// Fixtures for DataSource tests: an owner, and a table made through the import path with its rows.
import type { CsvRecord } from '../csv/index.js'
import { importNewTable } from '../datasource/import.js'
import type { ColumnSpec, TableInfo } from '../datasource/types.js'
import type { Database } from '../db/database.js'

export async function createOwner(database: Database, username: string): Promise<number> {
  const user = await database.db
    .insertInto('users')
    .values({ username, github_id: null })
    .returning('id')
    .executeTakeFirstOrThrow()
  return user.id
}

async function* records(rows: string[][]): AsyncGenerator<CsvRecord> {
  for (const [index, fields] of rows.entries()) yield { line: index + 2, fields }
}

export async function tableWithRows(
  database: Database,
  ownerId: number,
  name: string,
  columns: ColumnSpec[],
  rows: string[][] = [],
): Promise<TableInfo> {
  return (await importNewTable(database, { ownerId, name, columns }, records(rows))).table
}
