// Keyset pagination: a sort order as index-friendly segments, and cursors that say where a page ends.
import { type RawBuilder, sql } from 'kysely'
import { definitionOf } from './column-types.js'
import { sortExpression } from './ddl.js'
import { columnRef, tableRef } from './names.js'
import type { ColumnInfo } from './types.js'

export interface RowOrder {
  // null orders by the row id.
  column: ColumnInfo | null
  descending: boolean
}

// Where a page starts or ends: the sort column's value (as text, or null) and the row id.
export interface Cursor {
  key: string | null
  id: number
}

export function encodeCursor(cursor: Cursor): string {
  return Buffer.from(JSON.stringify([cursor.key, cursor.id])).toString('base64url')
}

export function decodeCursor(text: string | null | undefined): Cursor | null {
  if (!text || text.length > 2000) return null
  try {
    const value: unknown = JSON.parse(Buffer.from(text, 'base64url').toString('utf8'))
    if (!Array.isArray(value) || value.length !== 2) return null
    const [key, id] = value as unknown[]
    if (
      (key !== null && typeof key !== 'string') ||
      !Number.isSafeInteger(id) ||
      (id as number) < 1
    )
      return null
    return { key: key as string | null, id: id as number }
  } catch {
    return null
  }
}

// A link column sorts by its linked rows' display values: the target joined (as a subquery that
// names neither `id` nor its columns, so nothing of the page's query becomes ambiguous) and its
// display column's own sort expression, which that column's B-tree index covers. Postgres can then
// walk the target's index and fetch the linking rows by theirs (a nested loop, incremental sort).
export function linkSortJoin(order: RowOrder | null): RawBuilder<unknown> {
  const link = order?.column?.link
  if (!order?.column || !link?.display) return sql``
  const key = definitionOf(link.display.type).sortSql(columnRef(link.display.id))
  return sql`left join (select id as _link_id, ${key} as _link_key from ${tableRef(link.tableId)})
    as _link on _link._link_id = ${columnRef(order.column.id)}`
}

// What an order sorts by, and as which type a cursor's key is read back.
export function orderExpression(column: ColumnInfo): {
  expression: RawBuilder<unknown>
  type: string
} {
  const display = column.link?.display
  if (!display) return sortExpression(column)
  return { expression: sql`_link._link_key`, type: definitionOf(display.type).sortType }
}

// A run of rows that one index scan yields in order. "Nulls last" in either direction is two
// segments (values, then nulls), so each is a plain scan of the (column, id) index.
export interface Segment {
  filter: RawBuilder<unknown>
  orderBy: RawBuilder<unknown>
  // Rows after (in this segment's order) the cursor.
  after(cursor: Cursor): RawBuilder<unknown>
  // Holds the cursor's rows: values or nulls.
  holds(cursor: Cursor): boolean
}

const dir = (descending: boolean) => sql.raw(descending ? 'desc' : 'asc')
const cmp = (descending: boolean) => sql.raw(descending ? '<' : '>')

function idSegment(
  filter: RawBuilder<unknown>,
  descending: boolean,
  holds: (c: Cursor) => boolean,
): Segment {
  return {
    filter,
    orderBy: sql`id ${dir(descending)}`,
    after: (cursor) => sql`id ${cmp(descending)} ${cursor.id}`,
    holds,
  }
}

// The segments of an order, forwards or (for Previous and the last page) backwards.
export function segments(order: RowOrder | null, backwards: boolean): Segment[] {
  const descending = (order?.descending ?? false) !== backwards
  const column = order?.column
  if (!column) return [idSegment(sql`true`, descending, () => true)]
  const { expression: ref, type } = orderExpression(column)
  const linked = Boolean(column.link?.display)
  const key = (cursor: Cursor) => sql`${cursor.key}::text::${sql.raw(type)}`
  const values: Segment = {
    filter: sql`${ref} is not null`,
    orderBy: sql`${ref} ${dir(descending)}, id ${dir(descending)}`,
    // A link's key is the target's: bounded on its own too, its index starts at the cursor.
    after: (cursor) =>
      sql`(${ref}, id) ${cmp(descending)} (${key(cursor)}, ${cursor.id})${
        linked ? sql` and ${ref} ${sql.raw(descending ? '<=' : '>=')} ${key(cursor)}` : sql``
      }`,
    holds: (cursor) => cursor.key !== null,
  }
  // A link without a display value: no link, or a linked row with none. Said so, the planner
  // counts them (it reads "the joined value is null" as almost no rows).
  const none = linked
    ? sql`(${columnRef(column.id)} is null or ${ref} is null)`
    : sql`${ref} is null`
  const nulls = idSegment(none, descending, (cursor) => cursor.key === null)
  return backwards ? [nulls, values] : [values, nulls]
}

// The exact sort key of a row for its cursor (full precision, unlike the displayed value).
export function sortKey(order: RowOrder | null): RawBuilder<unknown> {
  return order?.column ? sql`(${orderExpression(order.column).expression})::text` : sql`null::text`
}
