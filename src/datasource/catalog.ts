// Reading the catalog: tables with their owner and columns.
import { jsonArrayFrom } from 'kysely/helpers/postgres'
import type { Db } from '../db/database.js'
import type { ColumnRow } from '../db/schema.js'
import type { ColumnType } from './column-types.js'
import type { ColumnInfo, LinkDisplay, LinkTarget, TableInfo } from './types.js'

export function toColumnInfo(row: Omit<ColumnRow, 'created_at'>): ColumnInfo {
  return {
    id: row.id,
    name: row.name,
    slug: row.slug,
    type: row.type as ColumnType,
    position: row.position,
    required: row.required,
    unique: row.is_unique,
    defaultValue: row.default_value,
    choices: row.choices,
    link:
      row.link_table_id === null
        ? null
        : {
            tableId: row.link_table_id,
            onDelete: row.link_on_delete === 'clear' ? 'clear' : 'refuse',
            many: row.link_many,
            displayColumnId: row.link_display_column_id,
          },
  }
}

// A table with its owner and, in the same statement, its columns in order (as JSON, a link column
// with the slug and columns of the table it points at): one round trip per table lookup.
function selectTables(db: Db) {
  return db
    .selectFrom('tables')
    .innerJoin('users', 'users.id', 'tables.owner_id')
    .select((eb) => [
      'tables.id',
      'tables.name',
      'tables.slug',
      'tables.description',
      'tables.is_public',
      'tables.row_count',
      'tables.created_at',
      'tables.updated_at',
      'users.id as owner_id',
      'users.username',
      'users.name as owner_name',
      'users.avatar_url',
      jsonArrayFrom(
        eb
          .selectFrom('columns')
          .leftJoin('tables as targets', 'targets.id', 'columns.link_table_id')
          .select((columns) => [
            'columns.id',
            'columns.table_id',
            'columns.name',
            'columns.slug',
            'columns.position',
            'columns.type',
            'columns.required',
            'columns.is_unique',
            'columns.default_value',
            'columns.choices',
            'columns.link_table_id',
            'columns.link_on_delete',
            'columns.link_many',
            'columns.link_display_column_id',
            'targets.slug as link_table_slug',
            jsonArrayFrom(
              columns
                .selectFrom('columns as shown')
                .select(['shown.id', 'shown.slug', 'shown.name', 'shown.type'])
                .whereRef('shown.table_id', '=', 'columns.link_table_id')
                .orderBy('shown.position')
                .orderBy('shown.id'),
            ).as('link_table_columns'),
          ])
          .whereRef('columns.table_id', '=', 'tables.id')
          .orderBy('columns.position')
          .orderBy('columns.id'),
      ).as('columns'),
    ])
}

type TableSelection = Awaited<
  ReturnType<ReturnType<typeof selectTables>['executeTakeFirstOrThrow']>
>

// The column a link shows: the chosen one while the target has it, else its first text column.
export function displayColumnOf(
  columns: readonly LinkDisplay[],
  chosenId: number | null | undefined,
): LinkDisplay | null {
  return (
    columns.find((column) => column.id === chosenId) ??
    columns.find((column) => column.type === 'text') ??
    null
  )
}

function withTarget(
  link: LinkTarget,
  slug: string | null,
  targetColumns: { id: number; slug: string; name: string; type: string }[],
): LinkTarget {
  const columns = targetColumns.map((column) => ({ ...column, type: column.type as ColumnType }))
  return {
    ...link,
    tableSlug: slug ?? undefined,
    // What search, filters and sort compare: a single link's display value (several links are
    // matched by id only).
    display: link.many ? null : displayColumnOf(columns, link.displayColumnId),
    displaySlug: columns.find((column) => column.id === link.displayColumnId)?.slug ?? null,
  }
}

function toTableInfo(row: TableSelection): TableInfo {
  return {
    id: row.id,
    owner: {
      id: row.owner_id,
      username: row.username,
      name: row.owner_name,
      avatarUrl: row.avatar_url,
    },
    name: row.name,
    slug: row.slug,
    description: row.description,
    isPublic: row.is_public,
    rowCount: Number(row.row_count),
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    columns: row.columns.map((column) => {
      const info = toColumnInfo(column)
      return info.link
        ? {
            ...info,
            link: withTarget(info.link, column.link_table_slug, column.link_table_columns),
          }
        : info
    }),
  }
}

export async function getTableById(db: Db, tableId: number): Promise<TableInfo | null> {
  const row = await selectTables(db).where('tables.id', '=', tableId).executeTakeFirst()
  return row ? toTableInfo(row) : null
}

export type TableLookup =
  | { found: 'table'; table: TableInfo }
  | { found: 'redirect'; slug: string }
  | { found: 'none' }

// Finds a table by owner and slug; an old slug of a renamed table answers with the new one.
export async function findTable(db: Db, username: string, slug: string): Promise<TableLookup> {
  const row = await selectTables(db)
    .where((eb) => eb(eb.fn('lower', ['users.username']), '=', username.toLowerCase()))
    .where('tables.slug', '=', slug)
    .executeTakeFirst()
  if (row) return { found: 'table', table: toTableInfo(row) }
  const redirect = await db
    .selectFrom('table_redirects')
    .innerJoin('users', 'users.id', 'table_redirects.owner_id')
    .innerJoin('tables', 'tables.id', 'table_redirects.table_id')
    .select('tables.slug')
    .where((eb) => eb(eb.fn('lower', ['users.username']), '=', username.toLowerCase()))
    .where('table_redirects.slug', '=', slug)
    .executeTakeFirst()
  return redirect ? { found: 'redirect', slug: redirect.slug } : { found: 'none' }
}

export interface TableListOptions {
  ownerId?: number
  viewerId?: number | null
  limit?: number
}

// Tables newest first; private tables only for their owner.
export async function listTables(db: Db, options: TableListOptions = {}): Promise<TableInfo[]> {
  let query = selectTables(db).orderBy('tables.updated_at', 'desc').orderBy('tables.id', 'desc')
  if (options.ownerId !== undefined) query = query.where('tables.owner_id', '=', options.ownerId)
  const viewerId = options.viewerId ?? null
  query = query.where((eb) =>
    viewerId === null
      ? eb('tables.is_public', '=', true)
      : eb.or([eb('tables.is_public', '=', true), eb('tables.owner_id', '=', viewerId)]),
  )
  if (options.limit) query = query.limit(options.limit)
  return (await query.execute()).map(toTableInfo)
}
