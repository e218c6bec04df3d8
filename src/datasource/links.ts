// Link columns' integrity beyond the foreign key itself: targets only among the owner's tables,
// no deleting a table others link to, and a refused row delete named by the rows that link to it.
import { type RawBuilder, sql } from 'kysely'
import * as v from 'valibot'
import type { Db } from '../db/database.js'
import { displayColumnOf } from './catalog.js'
import { ColumnChangeError } from './column-errors.js'
import { isFileType } from './column-type/file.js'
import { selectAsText } from './column-types.js'
import { columnRef, junctionRef, tableRef } from './names.js'
import type { LinkDisplay, LinkTarget, TableInfo } from './types.js'

const FOREIGN_KEY_VIOLATION = '23503'
// How many linking rows a refusal names.
const NAMED_ROWS = 10

export const isForeignKeyViolation = (error: unknown) =>
  v.is(v.object({ code: v.literal(FOREIGN_KEY_VIOLATION) }), error)

// The catalog columns of a link (nulls for other columns).
export const linkCatalogValues = (link: LinkTarget | null | undefined) => ({
  link_table_id: link?.tableId ?? null,
  link_on_delete: link?.onDelete ?? null,
  link_many: link?.many === true,
  link_display_column_id: link?.displayColumnId ?? null,
})

// The id of the target's column named by `slug` (null: the default), held (key share) until
// commit so it cannot be deleted meanwhile. A slug the target does not have is refused.
export async function lockDisplayColumn(
  trx: Db,
  targetId: number,
  slug: string | null | undefined,
): Promise<number | null> {
  if (slug === null || slug === undefined || slug === '') return null
  // Slugs are short runs of these characters: anything else is named, never sent to Postgres.
  const column = !/^[a-z0-9_-]{1,100}$/.test(slug)
    ? undefined
    : await trx
        .selectFrom('columns')
        .select('id')
        .where('table_id', '=', targetId)
        .where('slug', '=', slug)
        .forKeyShare()
        .executeTakeFirst()
  if (!column) {
    throw new ColumnChangeError(
      `The linked table has no column “${slug.slice(0, 100)}” to show`,
      'link_display',
    )
  }
  return column.id
}

// The target must be a table of the same owner (found by id, or by slug when the id is 0); its
// catalog row is held (key share) until commit, so it cannot be deleted meanwhile. Anything else
// reads as missing, so no other owner's table is revealed. Returns the link with the target's id.
export async function lockLinkTarget(
  trx: Db,
  ownerId: number,
  link: LinkTarget | null | undefined,
): Promise<LinkTarget | null> {
  if (!link) return null
  const target = await trx
    .selectFrom('tables')
    .select('id')
    .where(link.tableId ? 'id' : 'slug', '=', link.tableId || (link.tableSlug ?? ''))
    .where('owner_id', '=', ownerId)
    .forKeyShare()
    .executeTakeFirst()
  if (!target) throw new ColumnChangeError('Pick one of your own tables to link to', 'link')
  return {
    tableId: target.id,
    onDelete: link.onDelete,
    many: link.many === true,
    displayColumnId: await lockDisplayColumn(trx, target.id, link.displaySlug),
  }
}

export class TableLinkedError extends Error {
  constructor(readonly links: { table: string; column: string }[]) {
    const names = links.map((link) => `“${link.column}” of “${link.table}”`).join(', ')
    super(`Other tables link to this one (${names}): delete those link columns first`)
  }
}

// Before a table goes: refused while another table's link column points at it. The caller holds
// the table's catalog row for update, so no link to it can be made meanwhile.
export async function refuseLinkedTable(trx: Db, tableId: number) {
  const links = await trx
    .selectFrom('columns')
    .innerJoin('tables', 'tables.id', 'columns.table_id')
    .select(['tables.name as table', 'columns.name as column'])
    .where('columns.link_table_id', '=', tableId)
    .where('columns.table_id', '<>', tableId)
    .orderBy('tables.name')
    .orderBy('columns.name')
    .execute()
  if (links.length) throw new TableLinkedError(links)
}

export interface LinkingRow {
  table: string
  column: string
  row: number
  // The id of the row it links to.
  target: number
}

export class RowLinkedError extends Error {
  constructor(readonly rows: LinkingRow[]) {
    const first = rows[0]
    const what = first
      ? `row ${first.target} is linked from “${first.table}” (column “${first.column}”): ${rows
          .filter((row) => row.table === first.table && row.column === first.column)
          .map((row) => `row ${row.row}`)
          .join(', ')}`
      : 'other rows link to it'
    super(`Nothing was deleted: ${what}. Change or delete those links first`)
  }
}

// After Postgres refused a delete of `ids` from `tableId`: the rows whose refusing links point at
// them (at most NAMED_ROWS), for the message.
export async function linkingRows(db: Db, tableId: number, ids: number[]): Promise<LinkingRow[]> {
  const links = await db
    .selectFrom('columns')
    .innerJoin('tables', 'tables.id', 'columns.table_id')
    .select([
      'columns.id',
      'columns.table_id',
      'columns.link_many',
      'columns.name as column',
      'tables.name as table',
    ])
    .where('columns.link_table_id', '=', tableId)
    .where('columns.link_on_delete', '=', 'refuse')
    .orderBy('tables.name')
    .orderBy('columns.id')
    .execute()
  const found: LinkingRow[] = []
  for (const link of links) {
    if (found.length >= NAMED_ROWS) break
    const limit = NAMED_ROWS - found.length
    const { rows } = await sql<{ id: string | number; target: string | number }>`${
      link.link_many
        ? sql`select row_id as id, target_id as target from ${junctionRef(link.id)}
          where target_id in (${sql.join(ids)}) order by row_id, target_id limit ${limit}`
        : sql`select id, ${columnRef(link.id)} as target from ${tableRef(link.table_id)}
          where ${columnRef(link.id)} in (${sql.join(ids)}) order by id limit ${limit}`
    }`.execute(db)
    for (const row of rows) {
      found.push({
        table: link.table,
        column: link.column,
        row: Number(row.id),
        target: Number(row.target),
      })
    }
  }
  return found
}

// The most characters of a display value read.
export const DISPLAY_CHARS = 200

// A display column's value as text (a file by its name), at most DISPLAY_CHARS characters.
export function displaySql(column: LinkDisplay, ref: RawBuilder<unknown> = columnRef(column.id)) {
  const text = isFileType(column.type) ? sql`(${ref} ->> 'name')` : selectAsText(column.type, ref)
  return sql<string | null>`left(${text}, ${sql.lit(DISPLAY_CHARS)})`
}

// The display values of `ids` in `target`: the column `displayColumnId` names while the target has
// it, else its first text column (neither: none), or null for a row with no value there. Rows that
// are not there are left out. One query on the primary key.
export async function linkDisplays(
  db: Db,
  target: TableInfo,
  ids: number[],
  displayColumnId: number | null = null,
): Promise<Map<number, string | null>> {
  const shown = displayColumnOf(target.columns, displayColumnId)
  const unique = [...new Set(ids)]
  if (unique.length === 0) return new Map()
  const value = shown ? displaySql(shown) : sql`null`
  const { rows } = await sql<{ id: string | number; display: string | null }>`
    select id, ${value} as display from ${tableRef(target.id)}
    where id in (${sql.join(unique)})`.execute(db)
  return new Map(rows.map((row) => [Number(row.id), row.display]))
}

export interface LinkingColumn {
  tableId: number
  columnId: number
  column: string
  // How many of its rows link to the row asked about.
  count: number
}

// The link columns that point at `tableId`, each with how many rows link to `rowId` (each count an
// index scan: every column has a B-tree index).
export async function linkingCounts(
  db: Db,
  tableId: number,
  rowId: number,
): Promise<LinkingColumn[]> {
  const links = await db
    .selectFrom('columns')
    .select(['id', 'table_id', 'name', 'link_many'])
    .where('link_table_id', '=', tableId)
    .orderBy('table_id')
    .orderBy('position')
    .execute()
  const counts: LinkingColumn[] = []
  for (const link of links) {
    const { rows } = await sql<{ n: string | number }>`${
      link.link_many
        ? sql`select count(*) as n from ${junctionRef(link.id)} where target_id = ${rowId}`
        : sql`select count(*) as n from ${tableRef(link.table_id)} where ${columnRef(link.id)} = ${rowId}`
    }`.execute(db)
    counts.push({
      tableId: link.table_id,
      columnId: link.id,
      column: link.name,
      count: Number(rows[0]?.n),
    })
  }
  return counts
}
