// What link cells show a reader: the linked row's display value and page, when the reader may see
// the linked table; and a row's "Linked from": the link columns pointing at it, with counts.
import { getTableById } from '../datasource/catalog.js'
import { allChoices, type LinkChoice, searchChoices } from '../datasource/link-choices.js'
import { isLinkList, MAX_LINKS_PER_CELL, readLinkLists } from '../datasource/link-lists.js'
import { linkDisplays, linkingCounts } from '../datasource/links.js'
import type { ColumnInfo, LinkedRow, LinkList, Row, TableInfo } from '../datasource/types.js'
import type { Db } from '../db/database.js'
import { rowUrl, tableUrl } from '../lib/paths.js'
import { MAX_SEARCH_LENGTH, normalizeSearch } from '../lib/search.js'
import { canSee, requireAccess } from './access.js'
import type { Actor } from './actor.js'
import { InvalidError, NotFoundError } from './errors.js'

// A grid cell shows this many of a column's several links ("and 12 more").
export const GRID_LINKS = 5
const DISPLAY_BATCH = 10_000

// The tables the table's links point at that the reader may see, by id: each read once.
export type LinkTargets = ReadonlyMap<number, TableInfo>

export async function visibleTargets(db: Db, actor: Actor, table: TableInfo): Promise<LinkTargets> {
  const visible = new Map<number, TableInfo>()
  for (const id of new Set(table.columns.flatMap((column) => column.link?.tableId ?? []))) {
    const target = await getTableById(db, id)
    if (target && canSee(actor, target)) visible.set(id, target)
  }
  return visible
}

// One query per link column for the rows given (a page, or one row), on the target's primary key;
// a column of several links reads its first `listLimit` links of every row in one more query.
// `targets`: the visible targets, when the caller has read them already.
export async function withLinks(
  db: Db,
  actor: Actor,
  table: TableInfo,
  rows: Row[],
  listLimit = MAX_LINKS_PER_CELL,
  targets?: LinkTargets,
): Promise<Row[]> {
  const indexes = table.columns.flatMap((column, index) => (column.link ? [index] : []))
  if (indexes.length === 0 || rows.length === 0) return rows
  const visible = targets ?? (await visibleTargets(db, actor, table))
  const linked = rows.map((row) => ({
    ...row,
    links: { ...row.links } as Record<number, LinkedRow>,
    linkLists: { ...row.linkLists } as Record<number, LinkList>,
    ...(row.truncated ? { truncated: [...row.truncated] } : {}),
  }))
  for (const index of indexes) {
    const column = table.columns[index]
    const link = column?.link
    const target = (link && visible.get(link.tableId)) ?? null
    if (isLinkList(column)) {
      await withLinkList(db, column as ColumnInfo, target, index, linked, listLimit)
      continue
    }
    const ids = linked.flatMap((row) => {
      const cell = row.cells[index]
      return cell === null || cell === undefined ? [] : [Number(cell)]
    })
    const displays = target
      ? await linkDisplays(db, target, ids, link?.displayColumnId)
      : new Map<number, string | null>()
    for (const row of linked) {
      const cell = row.cells[index]
      if (cell === null || cell === undefined) continue
      const id = Number(cell)
      const found = target !== null && displays.has(id)
      row.links[index] = {
        id,
        display: found ? (displays.get(id) ?? null) : null,
        url: found ? rowUrl(target.owner.username, target.slug, id) : null,
      }
    }
  }
  return linked
}

// `target`: the linked table, when the reader may see it.
async function withLinkList(
  db: Db,
  column: ColumnInfo,
  target: TableInfo | null,
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
  const ids = [...new Set([...stored.values()].flatMap((list) => list.targets))]
  const displays = new Map<number, string | null>()
  // A page may link to more rows than one statement takes parameters (65,535): read in batches.
  for (let start = 0; target && start < ids.length; start += DISPLAY_BATCH) {
    const batch = await linkDisplays(
      db,
      target,
      ids.slice(start, start + DISPLAY_BATCH),
      column.link?.displayColumnId,
    )
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

// How the row form offers a link column: every row of a small target as a select, or the id field
// with the current row's display value and an address to search from (null: the plain id field,
// when the reader may not see the target).
export type LinkPicker =
  | { kind: 'select'; options: { value: string; label: string }[] }
  | { kind: 'search'; searchUrl: string; current: string | null }

// The value of an id field that names a linked row (anything else shows nothing).
const idOf = (value: string | undefined) =>
  value !== undefined && /^\d{1,15}$/.test(value.trim()) ? Number(value.trim()) : null

// Labels are display values; one that two rows share is told apart by the rows' ids.
function selectOptions(choices: LinkChoice[]) {
  const seen = new Map<string, number>()
  for (const choice of choices) {
    const label = choice.display ?? ''
    seen.set(label, (seen.get(label) ?? 0) + 1)
  }
  return [
    { value: '', label: '—' },
    ...choices.map((choice) => {
      const label = choice.display ?? ''
      const shared = label === '' || seen.get(label) !== 1
      return { value: String(choice.id), label: shared ? `${label} (#${choice.id})`.trim() : label }
    }),
  ]
}

export async function linkPickers(
  db: Db,
  actor: Actor,
  table: TableInfo,
  values: Record<string, string>,
): Promise<Map<string, LinkPicker>> {
  const pickers = new Map<string, LinkPicker>()
  for (const column of table.columns) {
    const link = column.link
    // Several links are written as a list of ids (see row-form.ts).
    if (!link || isLinkList(column)) continue
    const target = await getTableById(db, link.tableId)
    if (!target || !canSee(actor, target)) continue
    const choices = await allChoices(db, target, link.displayColumnId)
    if (choices) {
      pickers.set(column.slug, { kind: 'select', options: selectOptions(choices) })
      continue
    }
    const id = idOf(values[column.slug])
    const displays =
      id === null ? new Map() : await linkDisplays(db, target, [id], link.displayColumnId)
    pickers.set(column.slug, {
      kind: 'search',
      searchUrl: `${tableUrl(table.owner.username, table.slug)}/links/${encodeURIComponent(column.slug)}`,
      current: id !== null && displays.has(id) ? (displays.get(id) ?? `#${id}`) : null,
    })
  }
  return pickers
}

// Search as you type for a link column's picker: for whoever may write the table, among the rows
// of a target they may see.
export async function findLinkChoices(
  db: Db,
  actor: Actor,
  table: TableInfo,
  columnSlug: string,
  term: string,
): Promise<LinkChoice[]> {
  requireAccess(actor, table, 'write')
  const column = table.columns.find((candidate) => candidate.slug === columnSlug)
  if (!column?.link) throw new NotFoundError('This link column')
  if (term.length > MAX_SEARCH_LENGTH) {
    throw new InvalidError(`A search can be at most ${MAX_SEARCH_LENGTH} characters`, {
      errors: { q: `At most ${MAX_SEARCH_LENGTH} characters` },
    })
  }
  const target = await getTableById(db, column.link.tableId)
  if (!target || !canSee(actor, target)) throw new NotFoundError('The linked table')
  return searchChoices(db, target, column.link.displayColumnId, normalizeSearch(term))
}

// The table as a reader may search, filter and sort it: a link whose target they may not see has
// no display value (it is read, filtered and sorted by the linked row's id), so nothing of that
// table leaks through which rows match.
export async function linksSeenBy(
  db: Db,
  actor: Actor,
  table: TableInfo,
  targets?: LinkTargets,
): Promise<TableInfo> {
  if (!table.columns.some((column) => column.link)) return table
  const visible = targets ?? (await visibleTargets(db, actor, table))
  const hidden = (column: ColumnInfo) => column.link && !visible.has(column.link.tableId)
  if (!table.columns.some(hidden)) return table
  return {
    ...table,
    columns: table.columns.map((column) =>
      column.link && hidden(column)
        ? { ...column, link: { ...column.link, display: null } }
        : column,
    ),
  }
}
