// Reads that meet a column change. A page reads the catalog first and the rows a moment later; a
// column dropped in between makes Postgres refuse the query ("column c7 does not exist"). Such a
// read is made again with the columns as they are now, the caller's columns kept in their places.
import type { Db } from '../db/database.js'
import { getTableById } from './catalog.js'
import type { ColumnInfo, TableInfo } from './types.js'

// The caller's columns, in its order; null for one dropped since, which reads as an empty cell. A
// retyped column is given as it is now, so it is read as its new type.
export type ReadColumns = readonly (ColumnInfo | null)[]

const codeOf = (error: unknown) => (error as { code?: unknown } | null)?.code
export const isUndefinedColumn = (error: unknown) => codeOf(error) === '42703'
// The table was deleted (its physical table dropped) since the catalog was read.
export const isUndefinedTable = (error: unknown) => codeOf(error) === '42P01'

// A link whose display value the caller left out (a target the reader may not see) stays so.
export const currentColumns = (table: TableInfo, current: TableInfo): ReadColumns =>
  table.columns.map((column) => {
    const now = current.columns.find((candidate) => candidate.id === column.id) ?? null
    return now?.link && column.link && !column.link.display
      ? { ...now, link: { ...now.link, display: null } }
      : now
  })

// Runs `read` with the table's columns; if a column went meanwhile, again with the current ones.
// A table deleted meanwhile gives `gone()`.
export async function readWithCurrentColumns<T>(
  db: Db,
  table: TableInfo,
  read: (columns: ReadColumns) => Promise<T>,
  gone: () => T,
): Promise<T> {
  let columns: ReadColumns = table.columns
  for (let attempt = 1; ; attempt++) {
    try {
      return await read(columns)
    } catch (error) {
      if (isUndefinedTable(error)) return gone()
      if (!isUndefinedColumn(error) || attempt === 3) throw error
      const current = await getTableById(db, table.id)
      if (!current) return gone()
      columns = currentColumns(table, current)
    }
  }
}
