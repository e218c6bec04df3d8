// Several-links columns: each link is a row of the column's junction table userdata.j<column id>
// (row_id → the row, target_id → the linked row, position keeps their order), both real foreign
// keys. The user table has no cell for such a column; its value travels as text `3,7,12`.
import { type RawBuilder, sql } from 'kysely'
import type { Db } from '../db/database.js'
import { isLinkList } from './column-type/link.js'
import { parseTypedValue, parseValue } from './column-types.js'
import { junctionRef, physicalJunctionName, tableRef } from './names.js'
import { isUndefinedTable } from './read-columns.js'
import type { ColumnInfo, TableInfo } from './types.js'

// The most links one cell holds (a row page and the API show them all).
export const MAX_LINKS_PER_CELL = 1000

export { cellColumns, isLinkList } from './column-type/link.js'

type Parsed = { ok: true; value: string | null } | { ok: false; message: string }

// Ids given as form or CSV text (`3, 7; 12`) or, typed, as a JSON array of ids (or null): the
// canonical text `3,7,12`, or null for no links. Order is kept; an id given twice is refused.
export function parseLinkList(value: unknown, typed: boolean): Parsed {
  let items: unknown[]
  if (value === null || value === undefined) return { ok: true, value: null }
  if (Array.isArray(value)) items = value
  else if (typeof value === 'string' && !typed) {
    items = value.split(/[,;\s]+/).filter(Boolean)
  } else {
    return { ok: false, message: 'Must be a list of ids of rows of the linked table' }
  }
  if (items.length > MAX_LINKS_PER_CELL) {
    return { ok: false, message: `At most ${MAX_LINKS_PER_CELL.toLocaleString('en-GB')} links` }
  }
  const ids = new Set<string>()
  for (const item of items) {
    const parsed =
      typeof item === 'string' ? parseValue('link', item) : parseTypedValue('link', item)
    if (!parsed.ok || parsed.value === null) {
      return { ok: false, message: 'Each link must be the id of a row of the linked table' }
    }
    if (ids.has(parsed.value)) {
      return { ok: false, message: `Row ${parsed.value} is listed twice` }
    }
    ids.add(parsed.value)
  }
  return { ok: true, value: ids.size ? [...ids].join(',') : null }
}

export const linkListIds = (value: string | null | undefined): string[] =>
  value ? value.split(',') : []

// The junction table of a new several-links column of table `tableId`: a link goes with its row;
// deleting a linked row clears its links (cascade) or is refused (restrict).
export function createJunctionStatements(
  tableId: number,
  column: ColumnInfo,
): RawBuilder<unknown>[] {
  const link = column.link
  if (!link?.many) return []
  const action = sql.raw(link.onDelete === 'clear' ? 'cascade' : 'restrict')
  return [
    sql`create table ${junctionRef(column.id)} (
      row_id bigint not null references ${tableRef(tableId)} (id) on delete cascade,
      target_id bigint not null references ${tableRef(link.tableId)} (id) on delete ${action},
      position integer not null,
      primary key (row_id, target_id))`,
    // "Linked from", refused deletes and the exact filter look links up by the linked row.
    sql`create index ${sql.id(`${physicalJunctionName(column.id)}_target`)}
      on ${junctionRef(column.id)} (target_id, row_id)`,
  ]
}

export const dropJunctionStatement = (columnId: number) =>
  sql`drop table if exists ${junctionRef(columnId)}`

// The junction tables of a table's several-links columns go before the table itself.
export async function dropJunctions(trx: Db, tableId: number): Promise<void> {
  const columns = await trx
    .selectFrom('columns')
    .select('id')
    .where('table_id', '=', tableId)
    .where('link_many', '=', true)
    .execute()
  for (const column of columns) await dropJunctionStatement(column.id).execute(trx)
}

export type LinkListErrors = Map<number, Record<string, string>>

// Before writing: every id each row lists must be a row of the linked table. Those found are held
// (key share) until commit, so a delete of one waits for this write, then clears the new link or
// is refused; one deleted first is reported here as unknown. Errors by row index, then slug.
export async function checkLinkLists(
  trx: Db,
  table: TableInfo,
  rows: readonly Record<string, string | null | undefined>[],
): Promise<LinkListErrors> {
  const errors: LinkListErrors = new Map()
  for (const column of table.columns) {
    if (!isLinkList(column) || !column.link) continue
    const wanted = [...new Set(rows.flatMap((row) => linkListIds(row[column.slug])))]
    if (wanted.length === 0) continue
    const { rows: found } = await sql<{ id: string | number }>`
      select id from ${tableRef(column.link.tableId)}
      where id = any(${wanted}::text[]::bigint[]) order by id for key share`.execute(trx)
    const present = new Set(found.map((row) => String(row.id)))
    rows.forEach((row, index) => {
      const missing = linkListIds(row[column.slug]).find((id) => !present.has(id))
      if (missing === undefined) return
      errors.set(index, {
        ...errors.get(index),
        [column.slug]: `No row of the linked table has id ${missing}`,
      })
    })
  }
  return errors
}

// Writes the lists of the rows given (`values` undefined for a column: left as it is), replacing
// what they held. Call checkLinkLists first, in the same transaction.
export async function writeLinkLists(
  trx: Db,
  table: TableInfo,
  rows: readonly { id: number; values: Record<string, string | null | undefined> }[],
): Promise<void> {
  for (const column of table.columns) {
    if (!isLinkList(column)) continue
    const given = rows.filter((row) => row.values[column.slug] !== undefined)
    if (given.length === 0) continue
    const ids = given.map((row) => String(row.id))
    await sql`delete from ${junctionRef(column.id)} where row_id = any(${ids}::text[]::bigint[])`.execute(
      trx,
    )
    const rowIds: string[] = []
    const targets: string[] = []
    const positions: string[] = []
    for (const row of given) {
      linkListIds(row.values[column.slug]).forEach((target, position) => {
        rowIds.push(String(row.id))
        targets.push(target)
        positions.push(String(position + 1))
      })
    }
    if (targets.length === 0) continue
    await sql`insert into ${junctionRef(column.id)} (row_id, target_id, position)
      select r::bigint, t::bigint, p::integer
      from unnest(${rowIds}::text[], ${targets}::text[], ${positions}::text[]) as u (r, t, p)`.execute(
      trx,
    )
  }
}

export interface StoredList {
  targets: number[]
  total: number
}

// The first `limit` links of each of `rowIds` (in order) and how many each has: one query on the
// junction's primary key. A column dropped meanwhile reads as no links.
export async function readLinkLists(
  db: Db,
  column: ColumnInfo,
  rowIds: readonly number[],
  limit: number,
): Promise<Map<number, StoredList>> {
  const lists = new Map<number, StoredList>()
  if (rowIds.length === 0) return lists
  const ids = rowIds.map(String)
  try {
    const { rows } = await sql<{
      row_id: string | number
      target_id: string | number
      total: string | number
    }>`
      select row_id, target_id, total from (
        select row_id, target_id, position,
          row_number() over (partition by row_id order by position) as n,
          count(*) over (partition by row_id) as total
        from ${junctionRef(column.id)} where row_id = any(${ids}::text[]::bigint[])
      ) as links where n <= ${limit} order by row_id, position`.execute(db)
    for (const row of rows) {
      const id = Number(row.row_id)
      const list = lists.get(id) ?? { targets: [], total: Number(row.total) }
      list.targets.push(Number(row.target_id))
      lists.set(id, list)
    }
  } catch (error) {
    if (!isUndefinedTable(error)) throw error
  }
  return lists
}

// A row's links, in SQL, for a filter: `exact` (links to this id), `isnull` (none), `notnull`.
export function linkListCondition(
  column: ColumnInfo,
  operator: string,
  value: RawBuilder<unknown>,
): RawBuilder<unknown> {
  const links = sql`select from ${junctionRef(column.id)} as l where l.row_id = id`
  if (operator === 'isnull') return sql`not exists (${links})`
  if (operator === 'notnull') return sql`exists (${links})`
  return sql`exists (${links} and l.target_id = ${value})`
}

// A row's links as the exports write them: CSV `3,7,12` (empty: none); JSON an array of ids.
export const linkListCsvSql = (column: ColumnInfo) =>
  sql`(select string_agg(l.target_id::text, ',' order by l.position)
    from ${junctionRef(column.id)} as l where l.row_id = id)`

export const linkListJsonSql = (column: ColumnInfo) =>
  sql`coalesce((select json_agg(l.target_id order by l.position)::text
    from ${junctionRef(column.id)} as l where l.row_id = id), '[]')`
