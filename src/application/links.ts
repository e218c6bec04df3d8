// What link cells show a reader: the linked row's display value and page, when the reader may see
// the linked table; and a row's "Linked from": the link columns pointing at it, with counts.
import { getTableById } from '../datasource/catalog.js'
import { isLinkList, MAX_LINKS_PER_CELL, readLinkLists } from '../datasource/link-lists.js'
import { linkDisplays, linkingCounts } from '../datasource/links.js'
import type { ColumnInfo, LinkedRow, LinkList, Row, TableInfo } from '../datasource/types.js'
import type { Db } from '../db/database.js'
import { rowUrl, tableUrl } from '../lib/paths.js'
import { canSee } from './access.js'
import type { Actor } from './actor.js'

// A grid cell shows this many of a column's several links ("and 12 more").
export const GRID_LINKS = 5
const DISPLAY_BATCH = 10_000

// One query per link column for the rows given (a page, or one row), on the target's primary key;
// a column of several links reads its first `listLimit` links of every row in one more query.
export async function withLinks(
  db: Db,
  actor: Actor,
  table: TableInfo,
  rows: Row[],
  listLimit = MAX_LINKS_PER_CELL,
): Promise<Row[]> {
  const indexes = table.columns.flatMap((column, index) => (column.link ? [index] : []))
  if (indexes.length === 0 || rows.length === 0) return rows
  const linked = rows.map((row) => ({
    ...row,
    links: { ...row.links } as Record<number, LinkedRow>,
    linkLists: { ...row.linkLists } as Record<number, LinkList>,
    ...(row.truncated ? { truncated: [...row.truncated] } : {}),
  }))
  for (const index of indexes) {
    const column = table.columns[index]
    if (isLinkList(column)) {
      await withLinkList(db, actor, column as ColumnInfo, index, linked, listLimit)
      continue
    }
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

// The target table as the reader may see it (null: not at all).
async function visibleTarget(db: Db, actor: Actor, column: ColumnInfo) {
  const target = column.link ? await getTableById(db, column.link.tableId) : null
  return target !== null && canSee(actor, target) ? target : null
}

async function withLinkList(
  db: Db,
  actor: Actor,
  column: ColumnInfo,
  index: number,
  rows: Row[],
  limit: number,
): Promise<void> {
  const stored = await readLinkLists(
    db,
    column,
    rows.map((row) => row.id),
    limit,
  )
  const target = await visibleTarget(db, actor, column)
  const ids = [...new Set([...stored.values()].flatMap((list) => list.targets))]
  const displays = new Map<number, string | null>()
  // A page may link to more rows than one statement takes parameters (65,535): read in batches.
  for (let start = 0; target && start < ids.length; start += DISPLAY_BATCH) {
    const batch = await linkDisplays(db, target, ids.slice(start, start + DISPLAY_BATCH))
    for (const [id, display] of batch) displays.set(id, display)
  }
  for (const row of rows) {
    const list = stored.get(row.id) ?? { targets: [], total: 0 }
    const links = list.targets.map((id) => {
      const found = target !== null && displays.has(id)
      return {
        id,
        display: found ? (displays.get(id) ?? null) : null,
        url: found ? rowUrl(target.owner.username, target.slug, id) : null,
      }
    })
    ;(row.linkLists as Record<number, LinkList>)[index] = { links, total: list.total }
    // A grid's list cut short is flagged like a cut value.
    if (row.truncated && list.total > links.length) row.truncated[index] = true
  }
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
