// A table's default set of shown columns and its saved views, in the catalog. Columns are kept by
// id, so renaming a column or the table changes nothing; a deleted column's part drops out.
import { sql } from 'kysely'
import { jsonArrayFrom } from 'kysely/helpers/postgres'
import type { Db } from '../db/database.js'
import { slugify, uniqueSlug } from '../lib/slug.js'
import { textProblem } from './column-types.js'
import type { FilterOperator } from './filters.js'
import { DATA_SCHEMA, physicalTableName } from './names.js'
import type { ColumnInfo, TableInfo } from './types.js'

export interface ViewState {
  search: string
  order: { column: number | null; descending: boolean } | null
  filters: { column: number; operator: FilterOperator; value: string }[]
  facets: number[]
  // null: the table's default columns.
  columns: number[] | null
}

export interface TableView {
  id: number
  name: string
  slug: string
  state: ViewState
}

export const MAX_VIEW_NAME = 100
export const MAX_VIEWS_PER_TABLE = 50

export async function getShownColumns(db: Db, tableId: number): Promise<number[] | null> {
  const row = await db
    .selectFrom('tables')
    .select('shown_columns')
    .where('id', '=', tableId)
    .executeTakeFirst()
  return row?.shown_columns ?? null
}

// Only the table's own columns are kept; none (or all) is the same as null: every column.
export async function setShownColumns(
  db: Db,
  table: TableInfo,
  ids: readonly number[] | null,
): Promise<void> {
  const known = (ids ?? []).filter((id) => table.columns.some((column) => column.id === id))
  const shown = known.length === 0 || known.length === table.columns.length ? null : known
  await db.updateTable('tables').set({ shown_columns: shown }).where('id', '=', table.id).execute()
}

const toView = (row: { id: number; name: string; slug: string; state: unknown }): TableView => ({
  id: row.id,
  name: row.name,
  slug: row.slug,
  state: row.state as ViewState,
})

export async function listViews(db: Db, tableId: number): Promise<TableView[]> {
  const rows = await db
    .selectFrom('table_views')
    .select(['id', 'name', 'slug', 'state'])
    .where('table_id', '=', tableId)
    .orderBy('id')
    .execute()
  return rows.map(toView)
}

// What the table page reads besides the table and its rows, in one statement: the owner's default
// columns, the saved views, and the planner's distinct-value estimates per column (pg_stats, for
// facet suggestions). A table deleted meanwhile reads as having none of them.
export interface PageSettings {
  shown: number[] | null
  views: TableView[]
  // By physical column name; positive: a count of values, negative: a fraction of the rows.
  distinct: Map<string, number>
}

export async function getPageSettings(db: Db, table: TableInfo): Promise<PageSettings> {
  const row = await db
    .selectFrom('tables')
    .select((eb) => [
      'tables.shown_columns',
      jsonArrayFrom(
        eb
          .selectFrom('table_views')
          .select(['id', 'name', 'slug', 'state'])
          .whereRef('table_views.table_id', '=', 'tables.id')
          .orderBy('id'),
      ).as('views'),
      sql<{ attname: string; n_distinct: number }[]>`coalesce((
        select json_agg(json_build_object('attname', attname, 'n_distinct', n_distinct))
        from pg_stats
        where schemaname = ${DATA_SCHEMA} and tablename = ${physicalTableName(table.id)}
      ), '[]')`.as('stats'),
    ])
    .where('tables.id', '=', table.id)
    .executeTakeFirst()
  return {
    shown: row?.shown_columns ?? null,
    views: (row?.views ?? []).map(toView),
    distinct: new Map((row?.stats ?? []).map((stat) => [stat.attname, Number(stat.n_distinct)])),
  }
}

export async function findView(db: Db, tableId: number, slug: string): Promise<TableView | null> {
  const row = await db
    .selectFrom('table_views')
    .select(['id', 'name', 'slug', 'state'])
    .where('table_id', '=', tableId)
    .where('slug', '=', slug)
    .executeTakeFirst()
  return row ? toView(row) : null
}

export type SavedView = { ok: true; view: TableView } | { ok: false; message: string }

// A view saved under a name: the same name again replaces that view's state. All or nothing, under
// a lock on the table's row, so two saves of one name cannot both insert.
export async function saveView(
  db: Db,
  table: TableInfo,
  name: string,
  state: ViewState,
): Promise<SavedView> {
  const refuse = (message: string): SavedView => ({ ok: false, message })
  const trimmed = name.trim()
  if (!trimmed) return refuse('Give the view a name')
  // jsonb refuses what text refuses (a NUL, a lone surrogate), even escaped.
  for (const text of [trimmed, state.search, ...state.filters.map((filter) => filter.value)]) {
    const problem = textProblem(text)
    if (problem) return refuse(problem)
  }
  if (trimmed.length > MAX_VIEW_NAME) return refuse(`At most ${MAX_VIEW_NAME} characters`)
  const base = slugify(trimmed, '-') || 'view'
  return db.transaction().execute(async (trx) => {
    await sql`select id from tables where id = ${table.id} for update`.execute(trx)
    const views = await listViews(trx, table.id)
    const json = JSON.stringify(state)
    const same = views.find((view) => view.name === trimmed)
    if (same) {
      await trx
        .updateTable('table_views')
        .set({ state: json, updated_at: sql`now()` })
        .where('id', '=', same.id)
        .execute()
      return { ok: true, view: { ...same, state } }
    }
    if (views.length >= MAX_VIEWS_PER_TABLE) {
      return refuse(`A table has at most ${MAX_VIEWS_PER_TABLE} views`)
    }
    const slug = uniqueSlug(base, new Set(views.map((view) => view.slug)), '-')
    const row = await trx
      .insertInto('table_views')
      .values({ table_id: table.id, name: trimmed, slug, state: json })
      .returning(['id', 'name', 'slug', 'state'])
      .executeTakeFirstOrThrow()
    return { ok: true, view: toView(row) }
  })
}

export async function deleteView(db: Db, tableId: number, viewId: number): Promise<boolean> {
  const result = await db
    .deleteFrom('table_views')
    .where('table_id', '=', tableId)
    .where('id', '=', viewId)
    .executeTakeFirst()
  return Number(result.numDeletedRows) > 0
}

// A view as query parameters by the columns' current slugs, and what was dropped because its
// column is gone.
export function viewQuery(
  columns: readonly ColumnInfo[],
  state: ViewState,
): { query: Record<string, string>; dropped: string[] } {
  const byId = new Map(columns.map((column) => [column.id, column]))
  const query: Record<string, string> = {}
  const dropped: string[] = []
  if (state.search) query.search = state.search
  if (state.order) {
    const column = state.order.column === null ? null : byId.get(state.order.column)
    if (column === undefined) dropped.push('its sort')
    else if (column) query.order = `${state.order.descending ? '-' : ''}${column.slug}`
  }
  for (const filter of state.filters) {
    const column = byId.get(filter.column)
    if (column) query[`${column.slug}__${filter.operator}`] = filter.value
    else dropped.push(`a filter (${filter.operator} ${filter.value})`)
  }
  const slugsOf = (ids: readonly number[], what: string) => {
    const found = ids.flatMap((id) => byId.get(id)?.slug ?? [])
    if (found.length < ids.length) dropped.push(what)
    return found.join(',')
  }
  const facets = slugsOf(state.facets, 'a facet')
  if (facets) query._facet = facets
  if (state.columns) {
    const shown = slugsOf(state.columns, 'a shown column')
    if (shown) query._col = shown
  }
  return { query, dropped }
}
