// What link cells show a reader: the linked row's display value and page, when the reader may see
// the linked table; and a row's "Linked from": the link columns pointing at it, with counts.
import { getTableById } from '../datasource/catalog.js'
import { linkDisplays, linkingCounts } from '../datasource/links.js'
import type { LinkedRow, Row, TableInfo } from '../datasource/types.js'
import type { Db } from '../db/database.js'
import { rowUrl, tableUrl } from '../lib/paths.js'
import { canSee } from './access.js'
import type { Actor } from './actor.js'

// One query per link column for the rows given (a page, or one row), on the target's primary key.
export async function withLinks(
  db: Db,
  actor: Actor,
  table: TableInfo,
  rows: Row[],
): Promise<Row[]> {
  const indexes = table.columns.flatMap((column, index) => (column.link ? [index] : []))
  if (indexes.length === 0 || rows.length === 0) return rows
  const linked = rows.map((row) => ({
    ...row,
    links: { ...row.links } as Record<number, LinkedRow>,
  }))
  for (const index of indexes) {
    const link = table.columns[index]?.link
    const target = link ? await getTableById(db, link.tableId) : null
    const visible = target !== null && canSee(actor, target)
    const ids = linked.flatMap((row) => {
      const cell = row.cells[index]
      return cell === null || cell === undefined ? [] : [Number(cell)]
    })
    const displays = visible
      ? await linkDisplays(db, target, ids)
      : new Map<number, string | null>()
    for (const row of linked) {
      const cell = row.cells[index]
      if (cell === null || cell === undefined) continue
      const id = Number(cell)
      const found = visible && displays.has(id)
      row.links[index] = {
        id,
        display: found ? (displays.get(id) ?? null) : null,
        url: found ? rowUrl(target.owner.username, target.slug, id) : null,
      }
    }
  }
  return linked
}

export interface LinkedFrom {
  table: string
  column: string
  count: number
  // The linking table's page, filtered to the rows that link here.
  url: string
}

// The link columns (of tables the reader may see) pointing at this row, with how many rows link.
export async function linkedFrom(
  db: Db,
  actor: Actor,
  table: TableInfo,
  rowId: number,
): Promise<LinkedFrom[]> {
  const counts = await linkingCounts(db, table.id, rowId)
  const result: LinkedFrom[] = []
  for (const entry of counts) {
    if (entry.count === 0) continue
    const source = await getTableById(db, entry.tableId)
    const column = source?.columns.find((candidate) => candidate.id === entry.columnId)
    if (!source || !column || !canSee(actor, source)) continue
    result.push({
      table: source.name,
      column: column.name,
      count: entry.count,
      url: tableUrl(source.owner.username, source.slug, { [`${column.slug}__exact`]: rowId }),
    })
  }
  return result
}
