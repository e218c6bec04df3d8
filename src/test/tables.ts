// A small table with rows, made straight in the database, for tests that need one to act on.
import type { CsvRecord } from '../csv/index.js'
import { importNewTable } from '../datasource/import.js'
import type { TableInfo } from '../datasource/types.js'
import type { TestApp } from './app.js'

// Bird (text) and Count (integer): 1 Wren 3, 2 Robin 5, then `extra` more rows.
export async function birdTable(
  t: TestApp,
  ownerId: number,
  name: string,
  options: { isPublic?: boolean; extra?: number } = {},
): Promise<TableInfo> {
  async function* rows(): AsyncGenerator<CsvRecord> {
    yield { line: 2, fields: ['Wren', '3'] }
    yield { line: 3, fields: ['Robin', '5'] }
    for (let n = 0; n < (options.extra ?? 0); n++) yield { line: 4 + n, fields: [`Bird ${n}`, '1'] }
  }
  const columns = [
    { name: 'Bird', type: 'text' as const },
    { name: 'Count', type: 'integer' as const },
  ]
  const loaded = await importNewTable(
    t.database,
    { ownerId, name, isPublic: options.isPublic ?? true, columns },
    rows(),
  )
  return loaded.table
}
