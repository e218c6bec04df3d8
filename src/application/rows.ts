// A table's rows for an actor: pages by cursor, one row, and (with the write scope) changes.
import { cellColumns, isLinkList } from '../datasource/column-type/link.js'
import { type Filter, readFilters } from '../datasource/filters.js'
import { startLazyIndexes } from '../datasource/indexes.js'
import { decodeCursor, type RowOrder } from '../datasource/keyset.js'
import { MAX_LINKS_PER_CELL } from '../datasource/link-lists.js'
import {
  listRows,
  type RowPage,
  type RowQuery,
  listRowsAfter as scanAfter,
} from '../datasource/list-rows.js'
import * as writes from '../datasource/row-writes.js'
import { getRow } from '../datasource/rows.js'
import type { Row, TableInfo } from '../datasource/types.js'
import type { Db } from '../db/database.js'
import { parseOrder } from '../lib/ordering.js'
import { normalizeSearch } from '../lib/search.js'
import { requireAccess } from './access.js'
import type { Actor } from './actor.js'
import { type FieldErrors, InvalidError, NotFoundError, PreconditionFailedError } from './errors.js'
import { GRID_LINKS, linksSeenBy, visibleTargets, withLinks } from './links.js'
import { refusing } from './refusals.js'

// A listed value longer than this is cut (and flagged); the row itself has it whole.
export const LIST_CELL_CHARS = 10_000
// A page of rows holds at most about this many characters of values: on a wide table, fewer rows
// than asked for (`next` goes on from there).
const PAGE_BUDGET_CHARS = 16_000_000

// A cell of several links counts as its most links, each about this many characters of JSON.
const LINK_JSON_CHARS = 100

const rowChars = (table: TableInfo) =>
  table.columns.reduce(
    (sum, column) =>
      sum + (isLinkList(column) ? MAX_LINKS_PER_CELL * LINK_JSON_CHARS : LIST_CELL_CHARS),
    0,
  )

export const rowsPerPage = (table: TableInfo, limit: number) =>
  Math.max(
    1,
    Math.min(limit, Math.floor(PAGE_BUDGET_CHARS / Math.max(LIST_CELL_CHARS, rowChars(table)))),
  )

export interface RowListQuery {
  search?: string
  // Filter parameters (`votes__gt`: `30000`); other keys are not read.
  filters: Record<string, string | undefined>
  order?: string
  limit: number
  after?: string
}

export interface RowListPage {
  rows: Row[]
  total: number
  estimated: boolean
  // The cursor of the following page, or null on the last.
  next: string | null
  search: string
  filters: Filter[]
  order: string | null
}

// Unlike the pages (which leave a bad filter out with a message), the API refuses it.
export function rowFilters(table: TableInfo, query: Record<string, string | undefined>): Filter[] {
  const { filters, problems } = readFilters(table.columns, query)
  if (problems.length > 0) {
    throw new InvalidError(problems.map((problem) => problem.message).join(' '), {
      errors: Object.fromEntries(problems.map((problem) => [problem.key, problem.message])),
    })
  }
  return filters
}

// Unlike the pages (which ignore a bad order), the API says what was wrong.
export function rowOrder(table: TableInfo, raw: string | undefined): RowOrder | null {
  if (raw === undefined || raw === '') return null
  const order = parseOrder(
    raw,
    cellColumns(table.columns).map((column) => column.slug),
  )
  if (!order) {
    throw new InvalidError(`Cannot order by “${raw}”: no such column.`, {
      errors: { order: 'Not a column slug (prefix it with - to sort descending)' },
    })
  }
  const column = table.columns.find((candidate) => candidate.slug === order.slug) ?? null
  return { column, descending: order.descending }
}

export async function listRowsByCursor(
  db: Db,
  actor: Actor,
  table: TableInfo,
  query: RowListQuery,
): Promise<RowListPage> {
  requireAccess(actor, table, 'read')
  const order = rowOrder(table, query.order)
  const search = normalizeSearch(query.search)
  startLazyIndexes(db, table, search)
  const filters = rowFilters(table, query.filters)
  const cursor = query.after === undefined ? null : decodeCursor(query.after)
  if (query.after !== undefined && !cursor) {
    throw new InvalidError('The `after` cursor is not one this API gave.', {
      errors: { after: 'Use the `next` link of the previous page' },
    })
  }
  try {
    const targets = await visibleTargets(db, actor, table)
    const page = await scanAfter(db, await linksSeenBy(db, actor, table, targets), {
      search,
      filters,
      order,
      after: cursor,
      limit: rowsPerPage(table, query.limit),
      cellChars: LIST_CELL_CHARS,
    })
    const rows = await withLinks(db, actor, table, page.rows, undefined, targets)
    return { ...page, rows, search, filters, order: query.order || null }
  } catch (error) {
    // A cursor whose sort value does not fit the column (made for another order, or edited).
    if (!String((error as { code?: string }).code ?? '').startsWith('22')) throw error
    throw new InvalidError('The `after` cursor does not fit this order.', {
      errors: { after: 'Use the `next` link of the previous page, with the same order' },
    })
  }
}

// A page of the table page: numbered, or by cursor; long values cut for the grid.
export async function readPage(
  db: Db,
  actor: Actor,
  table: TableInfo,
  query: RowQuery,
): Promise<RowPage> {
  requireAccess(actor, table, 'read')
  startLazyIndexes(db, table, query.search)
  const targets = await visibleTargets(db, actor, table)
  const page = await listRows(db, await linksSeenBy(db, actor, table, targets), query)
  return { ...page, rows: await withLinks(db, actor, table, page.rows, GRID_LINKS, targets) }
}

export async function readRow(db: Db, actor: Actor, table: TableInfo, rowId: number): Promise<Row> {
  requireAccess(actor, table, 'read')
  const row = await getRow(db, table, rowId)
  if (!row) throw new NotFoundError('This row')
  return (await withLinks(db, actor, table, [row]))[0] as Row
}

export type RowInput = 'form' | 'typed'

// Rows to add, all or nothing: one (errors keyed by column slug) or many (keyed `index.slug`).
export async function createRows(
  db: Db,
  actor: Actor,
  table: TableInfo,
  inputs: unknown[],
  input: RowInput,
): Promise<Row[]> {
  requireAccess(actor, table, 'write')
  const result = await writes.insertRows(db, table, inputs, { input })
  if (result.ok) return withLinks(db, actor, table, result.rows)
  const errors: FieldErrors = {}
  for (const entry of result.errors) {
    for (const [field, message] of Object.entries(entry.errors)) {
      const key = entry.index === null || inputs.length === 1 ? field : `${entry.index}.${field}`
      errors[key] ??= message
    }
  }
  const rows = new Set(
    result.errors.flatMap((entry) => (entry.index === null ? [] : [entry.index])),
  )
  throw new InvalidError(
    rows.size > 1
      ? `${rows.size} rows have values that cannot be stored; nothing was added.`
      : 'A value cannot be stored; nothing was added.',
    { errors },
  )
}

const changedSince = (rowId: number, version: number | null, current: Row) =>
  new PreconditionFailedError(
    `Row ${rowId} changed since version ${version}; it is now version ${current.version}.`,
    current,
  )

// With `expectedVersion`, only if the row is still at that version (a PreconditionFailedError
// carries what it is now); `partial` changes only the fields given.
export async function changeRow(
  db: Db,
  actor: Actor,
  table: TableInfo,
  rowId: number,
  expectedVersion: number | null,
  values: unknown,
  options: { input: RowInput; partial: boolean },
): Promise<Row> {
  requireAccess(actor, table, 'write')
  const result = await writes.updateRow(db, table, rowId, expectedVersion, values, options)
  if (result === null) throw new NotFoundError('This row')
  if (result.ok) return (await withLinks(db, actor, table, [result.row]))[0] as Row
  if ('conflict' in result) {
    const [current] = await withLinks(db, actor, table, [result.current])
    throw changedSince(rowId, expectedVersion, current as Row)
  }
  throw new InvalidError('A value cannot be stored; nothing was changed.', {
    errors: result.errors,
  })
}

// The rows that exist among `ids` are deleted (at most MAX_BULK_DELETE); returns how many went.
export async function removeRows(
  db: Db,
  actor: Actor,
  table: TableInfo,
  ids: number[],
): Promise<number> {
  requireAccess(actor, table, 'write')
  if (ids.length > writes.MAX_BULK_DELETE) {
    throw new InvalidError(`At most ${writes.MAX_BULK_DELETE} rows can be deleted at once.`)
  }
  return ids.length ? refusing(() => writes.deleteRows(db, table, ids)) : 0
}

// `expectedVersion` null deletes whatever the row holds now; a stale one refuses (412).
export async function removeRow(
  db: Db,
  actor: Actor,
  table: TableInfo,
  rowId: number,
  expectedVersion: number | null,
): Promise<void> {
  requireAccess(actor, table, 'write')
  const result = await refusing(() => writes.deleteRow(db, table, rowId, expectedVersion))
  if (result === null) throw new NotFoundError('This row')
  if (!result.ok) throw changedSince(rowId, expectedVersion, result.current)
}
