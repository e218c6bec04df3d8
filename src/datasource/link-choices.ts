// Picking a linked row by its display value: every row of a small target (a select without
// JavaScript), or the few rows whose display value holds what was typed (search as you type).
import { type RawBuilder, sql } from 'kysely'
import type { Db } from '../db/database.js'
import { containsPattern, escapeLike } from '../lib/search.js'
import { displayColumnOf } from './catalog.js'
import { definitionOf } from './column-types.js'
import { displaySql } from './links.js'
import { columnRef, tableRef } from './names.js'
import type { LinkDisplay, TableInfo } from './types.js'

// A target with at most this many rows is offered whole, as a select.
export const SELECT_ROWS = 200
// Search as you type answers at most this many rows.
export const SEARCH_ROWS = 20

export interface LinkChoice {
  id: number
  display: string | null
}

// The display column's own sort expression, which its B-tree index covers.
function sortOf(column: LinkDisplay): RawBuilder<unknown> {
  return definitionOf(column.type).sortSql(columnRef(column.id))
}

async function readChoices(
  db: Db,
  target: TableInfo,
  shown: LinkDisplay | null,
  where: RawBuilder<unknown>,
  order: RawBuilder<unknown>,
  limit: number,
): Promise<LinkChoice[]> {
  const display = shown ? displaySql(shown) : sql`null`
  const { rows } = await sql<{ id: string | number; display: string | null }>`
    select id, ${display} as display from ${tableRef(target.id)}
    where ${where} order by ${order} limit ${limit}`.execute(db)
  return rows.map((row) => ({ id: Number(row.id), display: row.display }))
}

// Every row of the target by display value, or null when it has more than SELECT_ROWS.
export async function allChoices(
  db: Db,
  target: TableInfo,
  displayColumnId: number | null | undefined,
): Promise<LinkChoice[] | null> {
  if (target.rowCount > SELECT_ROWS * 5) return null
  const shown = displayColumnOf(target.columns, displayColumnId)
  const order = shown ? sql`${sortOf(shown)} nulls last, id` : sql`id`
  const rows = await readChoices(db, target, shown, sql`true`, order, SELECT_ROWS + 1)
  return rows.length > SELECT_ROWS ? null : rows
}

// The display value as text, for matching: text-like columns as they are (their trigram index
// serves ILIKE), others cast.
export function displayMatchSql(column: LinkDisplay): RawBuilder<unknown> {
  const ref = columnRef(column.id)
  return definitionOf(column.type).searchable ? ref : displaySql(column, ref)
}

// At most SEARCH_ROWS rows whose display value holds `term` (case-insensitive; those starting
// with it first), or whose id it is.
export async function searchChoices(
  db: Db,
  target: TableInfo,
  displayColumnId: number | null | undefined,
  term: string,
): Promise<LinkChoice[]> {
  const shown = displayColumnOf(target.columns, displayColumnId)
  const id = /^\d{1,15}$/.test(term) ? Number(term) : 0
  const byId = sql`id = ${id}`
  if (!shown) return readChoices(db, target, null, byId, sql`id`, SEARCH_ROWS)
  const value = displayMatchSql(shown)
  const where = term === '' ? sql`true` : sql`(${value} ilike ${containsPattern(term)} or ${byId})`
  const starts = sql`${value} ilike ${`${escapeLike(term)}%`}`
  const order = sql`(${starts}) is true desc, ${sortOf(shown)} nulls last, id`
  return readChoices(db, target, shown, where, order, SEARCH_ROWS)
}
