// Filters as SQL: one condition from the columns as they are now and the filters, shared by pages,
// counts and exports. Values are always parameters; columns are named by their catalog ids only.
import { type RawBuilder, sql } from 'kysely'
import { asIs } from './column-type/sql-rules.js'
import { definitionOf } from './column-types.js'
import type { Filter } from './filters.js'
import { displayMatchSql } from './link-choices.js'
import { columnRef, tableRef } from './names.js'
import type { ReadColumns } from './read-columns.js'
import type { ColumnInfo } from './types.js'

const list = (items: RawBuilder<unknown>[]) => sql`(${sql.join(items)})`

// The rows of a link's target whose display value meets `match`, as an array its B-tree index can
// be asked for (`= any(array(…))`), even ORed with other conditions.
export function linkedWhere(
  column: ColumnInfo,
  match: (display: RawBuilder<unknown>) => RawBuilder<unknown>,
): RawBuilder<unknown> {
  const display = column.link?.display
  if (!column.link || !display) return sql`false`
  return sql`${columnRef(column.id)} = any(array(select id from ${tableRef(column.link.tableId)}
    where ${match(displayMatchSql(display))}))`
}

function linkCondition(column: ColumnInfo, filter: Filter): RawBuilder<unknown> | null {
  const [first = ''] = filter.values
  switch (filter.operator) {
    case 'display':
      return linkedWhere(column, (display) => sql`${display} = ${first}`)
    case 'contains':
    case 'startswith':
      return linkedWhere(column, (display) => sql`${display} ilike ${first}`)
    default:
      return null
  }
}

function condition(column: ColumnInfo, filter: Filter): RawBuilder<unknown> {
  const linked = column.link ? linkCondition(column, filter) : null
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
): RawBuilder<unknown> {
  const parts = filters.flatMap((filter) => {
    const column = columns.find((candidate) => candidate?.id === filter.column.id)
    return column && column.type === filter.column.type ? [condition(column, filter)] : []
  })
  return parts.length === 0 ? sql`true` : sql`(${sql.join(parts, sql` and `)})`
}
