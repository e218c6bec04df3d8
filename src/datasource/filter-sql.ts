// Filters as SQL: one condition from the columns as they are now and the filters, shared by pages,
// counts and exports. Values are always parameters; columns are named by their catalog ids only.
import { type RawBuilder, sql } from 'kysely'
import type { Db } from '../db/database.js'
import { containsPattern } from '../lib/search.js'
import { isLinkList } from './column-type/link.js'
import { asIs } from './column-type/sql-rules.js'
import { definitionOf } from './column-types.js'
import type { Filter } from './filters.js'
import { displayMatchSql } from './link-choices.js'
import { linkListCondition } from './link-lists.js'
import { columnRef, tableRef } from './names.js'
import type { ReadColumns } from './read-columns.js'
import type { ColumnInfo, LinkDisplay } from './types.js'

const list = (items: RawBuilder<unknown>[]) => sql`(${sql.join(items)})`

// A link cell matches by its linked row's display value: equal to a value, or ILIKE a pattern.
export interface LinkMatch {
  equals: boolean
  value: string
}

// The ids of the target rows a LinkMatch found, read before the page's query (resolveLinkIds), by
// column id, how and what.
export type LinkIds = ReadonlyMap<string, readonly number[]>
const linkKey = (column: ColumnInfo, match: LinkMatch) =>
  `${column.id}\u0000${match.equals}\u0000${match.value}`

function linkMatchSql(column: ColumnInfo, match: LinkMatch): RawBuilder<unknown> {
  const display = displayMatchSql(column.link?.display as LinkDisplay)
  return match.equals ? sql`${display} = ${match.value}` : sql`${display} ilike ${match.value}`
}

// The rows whose link meets `match`: by the target ids found beforehand, as a constant array the
// planner can count (an unknown array reads as hundreds of rows, and a page ordered by id would
// then walk the whole primary key filtering); else by those ids found as the query runs.
export function linkedWhere(
  column: ColumnInfo,
  match: LinkMatch,
  linkIds?: LinkIds,
): RawBuilder<unknown> {
  if (!column.link?.display) return sql`false`
  const ref = columnRef(column.id)
  const known = linkIds?.get(linkKey(column, match))
  if (known) {
    return known.length === 0
      ? sql`false`
      : sql`${ref} = any(${`{${known.join(',')}}`}::text::bigint[])`
  }
  return sql`${ref} = any(array(select id from ${tableRef(column.link.tableId)}
    where ${linkMatchSql(column, match)}))`
}

// What a link filter matches by, if by the display value.
function filterLinkMatch(filter: Filter): LinkMatch | null {
  const [value = ''] = filter.values
  if (filter.operator === 'display') return { equals: true, value }
  if (filter.operator === 'contains' || filter.operator === 'startswith') {
    return { equals: false, value }
  }
  return null
}

// Beyond this many target rows the ids are left to the query itself.
const KNOWN_IDS = 1_000

// The target ids each display-value match of a search or filter finds: one query on the target
// each (its trigram index), before the page's own query.
export async function resolveLinkIds(
  db: Db,
  columns: ReadColumns,
  search: string,
  filters: readonly Filter[],
): Promise<LinkIds> {
  const wanted: [ColumnInfo, number, LinkMatch][] = []
  for (const column of columns) {
    if (column?.link?.display && search) {
      wanted.push([column, column.link.tableId, { equals: false, value: containsPattern(search) }])
    }
  }
  for (const filter of filters) {
    const column = columns.find((candidate) => candidate?.id === filter.column.id)
    const match = column?.link?.display ? filterLinkMatch(filter) : null
    if (column?.link && match) wanted.push([column, column.link.tableId, match])
  }
  const found = new Map<string, readonly number[]>()
  for (const [column, targetId, match] of wanted) {
    const { rows } = await sql<{ id: string | number }>`
      select id from ${tableRef(targetId)} where ${linkMatchSql(column, match)}
      order by id limit ${KNOWN_IDS + 1}`.execute(db)
    if (rows.length <= KNOWN_IDS) {
      found.set(
        linkKey(column, match),
        rows.map((row) => Number(row.id)),
      )
    }
  }
  return found
}

function linkCondition(
  column: ColumnInfo,
  filter: Filter,
  linkIds?: LinkIds,
): RawBuilder<unknown> | null {
  const match = filterLinkMatch(filter)
  return match ? linkedWhere(column, match, linkIds) : null
}

function condition(column: ColumnInfo, filter: Filter, linkIds?: LinkIds): RawBuilder<unknown> {
  const linked = column.link ? linkCondition(column, filter, linkIds) : null
  if (linked) return linked
  const definition = definitionOf(column.type)
  const ref = columnRef(column.id)
  // A value as the column's type (through text: PGlite types a bare parameter by its cast); the
  // cast names a type from the registry, never user text.
  const value = (text: string) => sql`${text}::text::${sql.raw(definition.postgres)}`
  const values = filter.values.map(value)
  // Long texts are indexed by a prefix: equality asks the index for the prefix, then compares whole.
  const prefixed = definition.sortSql !== asIs
  const key = (v: RawBuilder<unknown>) => definition.sortSql(v)
  const [first = sql`null`, second = sql`null`] = values
  if (isLinkList(column)) return linkListCondition(column, filter.operator, first)
  switch (filter.operator) {
    case 'exact':
      return prefixed
        ? sql`(${key(ref)} = ${key(first)} and ${ref} = ${first})`
        : sql`${ref} = ${first}`
    case 'not':
      return sql`${ref} is distinct from ${first}`
    case 'in':
      return prefixed
        ? sql`(${key(ref)} in ${list(values.map(key))} and ${ref} in ${list(values)})`
        : sql`${ref} in ${list(values)}`
    case 'contains':
    case 'startswith':
    case 'endswith':
      return sql`${ref} ilike ${first}`
    case 'gt':
      return sql`${ref} > ${first}`
    case 'gte':
      return sql`${ref} >= ${first}`
    case 'lt':
      return sql`${ref} < ${first}`
    case 'lte':
      return sql`${ref} <= ${first}`
    case 'year':
    case 'month':
      return sql`(${ref} >= ${first} and ${ref} < ${second})`
    case 'isnull':
      return sql`${ref} is null`
    case 'notnull':
      return sql`${ref} is not null`
    case 'display':
      return sql`false`
  }
}

// All the filters, ANDed. A filter whose column was dropped or changed type since the filters were
// read is left out: its values may no longer fit.
export function filterCondition(
  columns: ReadColumns,
  filters: readonly Filter[],
  linkIds?: LinkIds,
): RawBuilder<unknown> {
  const parts = filters.flatMap((filter) => {
    const column = columns.find((candidate) => candidate?.id === filter.column.id)
    return column && column.type === filter.column.type ? [condition(column, filter, linkIds)] : []
  })
  return parts.length === 0 ? sql`true` : sql`(${sql.join(parts, sql` and `)})`
}
