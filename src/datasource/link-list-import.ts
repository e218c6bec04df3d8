// CSV imports into several-links columns: a cell like `3,7,12` (or `3;7`). The user table has no
// cell for it, so each row's ids are kept while COPY streams the rows, and written to the junction
// table once the rows have ids. Unknown ids refuse the whole import, naming the line and column.
import { sql } from 'kysely'
import type { Db } from '../db/database.js'
import { ImportError } from './import-error.js'
import { checkLinkLists, parseLinkList, writeLinkLists } from './link-lists.js'
import { tableRef } from './names.js'
import type { ColumnInfo, TableInfo } from './types.js'

// The most links one import may hold (they are kept in memory until the rows are copied).
export const MAX_IMPORTED_LINKS = 100_000

interface Pending {
  column: ColumnInfo
  // COPY's row number (from 1), the file's line and the canonical ids, for each row with links.
  copyRows: number[]
  lines: number[]
  values: string[]
}

export class ImportedLinks {
  private columns = new Map<number, Pending>()
  private count = 0

  add(column: ColumnInfo, copyRow: number, line: number, field: string): void {
    const parsed = parseLinkList(field, false)
    if (!parsed.ok) throw new ImportError(line, column.name, lowerFirst(parsed.message))
    if (parsed.value === null) return
    this.count += parsed.value.split(',').length
    if (this.count > MAX_IMPORTED_LINKS) {
      throw new ImportError(
        line,
        column.name,
        `an import can hold at most ${MAX_IMPORTED_LINKS.toLocaleString('en-GB')} links: split the file`,
      )
    }
    const pending = this.columns.get(column.id) ?? { column, copyRows: [], lines: [], values: [] }
    pending.copyRows.push(copyRow)
    pending.lines.push(line)
    pending.values.push(parsed.value)
    this.columns.set(column.id, pending)
  }

  get pending(): Pending[] {
    return [...this.columns.values()]
  }
}

const lowerFirst = (text: string) => text.charAt(0).toLowerCase() + text.slice(1)

// The highest row id before the import: the rows it copies come after it.
export async function lastRowId(trx: Db, tableId: number): Promise<number> {
  const { rows } = await sql<{ id: string | number | null }>`
    select max(id) as id from ${tableRef(tableId)}`.execute(trx)
  return Number(rows[0]?.id ?? 0)
}

// COPY draws the rows' ids in the order it reads them, so this transaction's new rows, by id, are
// COPY's rows 1, 2, 3… (rows others add meanwhile are not this transaction's: xmin tells them apart).
export async function writeImportedLinks(
  trx: Db,
  table: TableInfo,
  links: ImportedLinks,
  lastId: number,
): Promise<void> {
  const pending = links.pending
  if (pending.length === 0) return
  const { rows } = await sql<{ id: string | number }>`
    select id from ${tableRef(table.id)}
    where id > ${lastId} and xmin = pg_current_xact_id()::xid order by id`.execute(trx)
  const ids = rows.map((row) => Number(row.id))
  for (const { column, copyRows, lines, values } of pending) {
    const rowValues = values.map((value) => ({ [column.slug]: value }))
    const only = { ...table, columns: [column] }
    const [refused] = await checkLinkLists(trx, only, rowValues)
    if (refused) {
      const [index, errors] = refused
      throw new ImportError(
        lines[index] ?? null,
        column.name,
        lowerFirst(errors[column.slug] ?? ''),
      )
    }
    await writeLinkLists(
      trx,
      only,
      copyRows.map((copyRow, index) => ({
        id: ids[copyRow - 1] as number,
        values: rowValues[index] ?? {},
      })),
    )
  }
}
