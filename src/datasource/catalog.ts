// Reading the catalog: tables with their owner and columns.
import type { Db } from '../db/database.js'
import type { ColumnRow } from '../db/schema.js'
import type { ColumnType } from './column-types.js'
import type { ColumnInfo, LinkDisplay, LinkTarget, TableInfo } from './types.js'

export function toColumnInfo(row: ColumnRow): ColumnInfo {
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
            displayColumnId: row.link_display_column_id,
          },
  }
}

function selectTables(db: Db) {
  return db
    .selectFrom('tables')
    .innerJoin('users', 'users.id', 'tables.owner_id')
    .select([
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
    ])
}

type TableSelection = Awaited<
  ReturnType<ReturnType<typeof selectTables>['executeTakeFirstOrThrow']>
>

interface LinkTargetInfo {
  slug: string
  columns: LinkDisplay[]
}

// The tables that link columns point at: slugs and columns (one query each, only when there are
// links).
async function linkTargetInfo(db: Db, columns: ColumnRow[]): Promise<Map<number, LinkTargetInfo>> {
  const ids = [...new Set(columns.flatMap((column) => column.link_table_id ?? []))]
  if (ids.length === 0) return new Map()
  const targets = await db
    .selectFrom('tables')
    .select(['id', 'slug'])
    .where('id', 'in', ids)
    .execute()
  const targetColumns = await db
    .selectFrom('columns')
    .select(['id', 'table_id', 'slug', 'name', 'type'])
    .where('table_id', 'in', ids)
    .orderBy('position')
    .orderBy('id')
    .execute()
  return new Map(
    targets.map((target) => [
      target.id,
      {
        slug: target.slug,
        columns: targetColumns
          .filter((column) => column.table_id === target.id)
          .map(({ id, slug, name, type }) => ({ id, slug, name, type: type as ColumnType })),
      },
    ]),
  )
}

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

function withTarget(link: LinkTarget, target: LinkTargetInfo | undefined): LinkTarget {
  const columns = target?.columns ?? []
  return {
    ...link,
    tableSlug: target?.slug,
    display: displayColumnOf(columns, link.displayColumnId),
    displaySlug: columns.find((column) => column.id === link.displayColumnId)?.slug ?? null,
  }
}

async function withColumns(db: Db, rows: TableSelection[]): Promise<TableInfo[]> {
  if (rows.length === 0) return []
  const columns = await db
    .selectFrom('columns')
    .selectAll()
    .where(
      'table_id',
      'in',
      rows.map((row) => row.id),
    )
    .orderBy('position')
    .orderBy('id')
    .execute()
  const targets = await linkTargetInfo(db, columns)
  return rows.map((row) => ({
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
    columns: columns
      .filter((column) => column.table_id === row.id)
      .map(toColumnInfo)
      .map((column) =>
        column.link
          ? { ...column, link: withTarget(column.link, targets.get(column.link.tableId)) }
          : column,
      ),
  }))
}

export async function getTableById(db: Db, tableId: number): Promise<TableInfo | null> {
  const row = await selectTables(db).where('tables.id', '=', tableId).executeTakeFirst()
  return row ? ((await withColumns(db, [row]))[0] ?? null) : null
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
  if (row) {
    const [table] = await withColumns(db, [row])
    return table ? { found: 'table', table } : { found: 'none' }
  }
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
  return withColumns(db, await query.execute())
}
