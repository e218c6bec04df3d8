// Facets: a column's commonest values (dates by year) among the rows a page shows, with counts,
// each within a time budget. Past it a sample answers (approximate), and past that none (unavailable).

import { type RawBuilder, sql } from 'kysely'
import type { Db } from '../db/database.js'
import { isLinkList } from './column-type/link.js'
import type { ColumnType } from './column-types.js'
import { columnRef, DATA_SCHEMA, physicalColumnName, physicalTableName, tableRef } from './names.js'
import { type ReadColumns, readWithCurrentColumns } from './read-columns.js'
import { matchCondition, type RowMatch } from './rows.js'
import type { ColumnInfo, TableInfo } from './types.js'

export type FacetBy = 'value' | 'year'

// How each type is faceted: by its value, by year, or not at all (long and nested values).
const FACET_BY: Record<ColumnType, FacetBy | null> = {
  text: 'value',
  long_text: null,
  integer: 'value',
  decimal: 'value',
  boolean: 'value',
  date: 'year',
  datetime: 'year',
  choice: 'value',
  email: 'value',
  url: 'value',
  json: null,
  file: null,
  image: null,
  link: 'value',
}

export const facetBy = (type: ColumnType) => FACET_BY[type]
// Several links (no cell of their own) are not faceted.
export const columnFacetBy = (column: ColumnInfo) =>
  isLinkList(column) ? null : facetBy(column.type)

export const FACET_VALUES = 30
// Facets one page or request may ask for.
export const MAX_FACETS = 10
export const FACET_BUDGET_MS = 200
// A sample reads about this many rows.
const SAMPLE_ROWS = 20_000

export interface FacetValue {
  // The value as text (the year, for dates); null for rows with none.
  value: string | null
  count: number
}

export interface Facet {
  column: ColumnInfo
  by: FacetBy
  // exact: counted; approximate: counted in a sample and scaled (or the planner's statistics);
  // unavailable: not even a sample fitted the budget.
  status: 'exact' | 'approximate' | 'unavailable'
  values: FacetValue[]
  // More distinct values than are listed.
  more: boolean
}

export interface FacetOptions {
  budgetMs?: number
  // How many rows match (the page's count): past EXACT_FACET_ROWS a sample answers straight away,
  // rather than after an exact count has spent the budget.
  matching?: number
  // Tests force the sample path.
  skipExact?: boolean
}

export const EXACT_FACET_ROWS = 100_000

const isTimeout = (error: unknown) => (error as { code?: string } | null)?.code === '57014'

function facetExpression(column: ColumnInfo, by: FacetBy): RawBuilder<unknown> {
  const ref = columnRef(column.id)
  if (by === 'value') return sql`${ref}::text`
  const zoned = column.type === 'datetime' ? sql`${ref} at time zone 'UTC'` : ref
  return sql`extract(year from ${zoned})::int::text`
}

type Counted = { v: string | null; n: string | number }

// One grouped count under a statement timeout of its own; null when the budget ran out.
async function countWithin(
  db: Db,
  budgetMs: number,
  query: RawBuilder<Counted>,
): Promise<Counted[] | null> {
  try {
    return await db.transaction().execute(async (trx) => {
      await sql`set local statement_timeout = ${sql.lit(Math.max(1, Math.round(budgetMs)))}`.execute(
        trx,
      )
      return (await query.execute(trx)).rows
    })
  } catch (error) {
    if (isTimeout(error)) return null
    throw error
  }
}

async function oneFacet(
  db: Db,
  table: TableInfo,
  columns: ReadColumns,
  column: ColumnInfo,
  by: FacetBy,
  match: RowMatch,
  options: FacetOptions,
): Promise<Facet> {
  const budget = options.budgetMs ?? FACET_BUDGET_MS
  const value = facetExpression(column, by)
  const where = matchCondition(columns, match)
  const grouped = (from: RawBuilder<unknown>) => sql<Counted>`
    select ${value} as v, count(*) as n from ${from} where ${where}
    group by 1 order by 2 desc, 1 asc nulls last limit ${sql.lit(FACET_VALUES + 1)}`
  const facet = (status: Facet['status'], rows: Counted[], scale = 1): Facet => ({
    column,
    by,
    status,
    values: rows.slice(0, FACET_VALUES).map((row) => ({
      value: row.v,
      count: Math.round(Number(row.n) * scale),
    })),
    more: rows.length > FACET_VALUES,
  })
  const exact = options.skipExact
    ? null
    : await countWithin(db, budget, grouped(tableRef(table.id)))
  if (exact) return facet('exact', exact)
  // A block sample: whole pages at random, so it reads only about SAMPLE_ROWS rows.
  const percent = Math.min(100, (100 * SAMPLE_ROWS) / Math.max(1, table.rowCount))
  const sampled = await countWithin(
    db,
    budget,
    grouped(sql`${tableRef(table.id)} tablesample system (${sql.lit(percent)})`),
  )
  if (sampled) return facet('approximate', sampled, 100 / percent)
  return facet('unavailable', [])
}

// The facets asked for, in order; columns that cannot be faceted (or are gone) are left out.
export function readFacets(
  db: Db,
  table: TableInfo,
  wanted: readonly ColumnInfo[],
  match: RowMatch,
  options: FacetOptions = {},
): Promise<Facet[]> {
  return readWithCurrentColumns(
    db,
    table,
    async (columns) => {
      const facets: Facet[] = []
      for (const want of wanted) {
        const column = columns.find((candidate) => candidate?.id === want.id)
        const by = column ? columnFacetBy(column) : null
        if (column && by)
          facets.push(await oneFacet(db, table, columns, column, by, match, options))
      }
      return facets
    },
    () => [],
  )
}

// Columns that would make good facets: choices and yes/no always, dates by year, and short values
// the planner's statistics say have few distinct values (no statistics yet: no suggestion).
export async function suggestFacets(db: Db, table: TableInfo, most = 30): Promise<ColumnInfo[]> {
  const { rows } = await sql<{ attname: string; n_distinct: number | string }>`
    select attname, n_distinct from pg_stats
    where schemaname = ${DATA_SCHEMA} and tablename = ${physicalTableName(table.id)}`.execute(db)
  return suggestFacetsFrom(
    table,
    new Map(rows.map((row) => [row.attname, Number(row.n_distinct)])),
    most,
  )
}

// The same from estimates already read (by physical column name, as pg_stats has them).
export function suggestFacetsFrom(
  table: TableInfo,
  distinct: ReadonlyMap<string, number>,
  most = 30,
): ColumnInfo[] {
  return table.columns.filter((column) => {
    if (column.type === 'choice' || column.type === 'boolean') return true
    if (columnFacetBy(column) === 'year') return true
    if (columnFacetBy(column) !== 'value') return false
    // Positive: a count of values; negative: a fraction of the rows.
    const n = distinct.get(physicalColumnName(column.id))
    if (n === undefined || n === 0) return false
    const values = n > 0 ? n : -n * table.rowCount
    return values >= 1 && values <= most
  })
}
