// Creating and dropping user tables: the catalog rows and the real table change together.
import { sql } from 'kysely'
import type { Db } from '../db/database.js'
import { slugify, uniqueSlug } from '../lib/slug.js'
import { getTableById, toColumnInfo } from './catalog.js'
import { createIndexes, createTableStatement } from './ddl.js'
import { tableRef } from './names.js'
import type { ColumnSpec, TableInfo } from './types.js'

export const MAX_COLUMNS = 200
// Slugs that would collide with fixed routes under /{username}/tables/.
const RESERVED_TABLE_SLUGS = new Set(['new', 'import'])
// `id` names the row id in URLs (?order=id), so no column may take it.
const RESERVED_COLUMN_SLUGS = new Set(['id'])

export function columnSlugs(names: string[], taken: Iterable<string> = []): string[] {
  const used = new Set([...RESERVED_COLUMN_SLUGS, ...taken])
  return names.map((name) => {
    const slug = uniqueSlug(slugify(name, '_') || 'column', used, '_')
    used.add(slug)
    return slug
  })
}

export async function takenTableSlugs(db: Db, ownerId: number): Promise<Set<string>> {
  const rows = await db
    .selectFrom('tables')
    .select('slug')
    .where('owner_id', '=', ownerId)
    .union(db.selectFrom('table_redirects').select('slug').where('owner_id', '=', ownerId))
    .execute()
  return new Set([...RESERVED_TABLE_SLUGS, ...rows.map((row) => row.slug)])
}

export interface NewTable {
  ownerId: number
  name: string
  description?: string
  isPublic?: boolean
  columns: ColumnSpec[]
}

// Must run inside a transaction when combined with other writes (an import, say), which may
// leave out the indexes and build them after loading the rows: that is much faster.
export async function insertTable(
  trx: Db,
  input: NewTable,
  options = { indexes: true },
): Promise<TableInfo> {
  const slug = slugify(input.name, '-') || 'table'
  const taken = await takenTableSlugs(trx, input.ownerId)
  if (taken.has(slug)) throw new SlugTakenError(slug)
  const { id } = await trx
    .insertInto('tables')
    .values({
      owner_id: input.ownerId,
      name: input.name,
      slug,
      description: input.description ?? '',
      is_public: input.isPublic ?? true,
    })
    .returning('id')
    .executeTakeFirstOrThrow()
  const slugs = columnSlugs(input.columns.map((column) => column.name))
  const columnRows = input.columns.length
    ? await trx
        .insertInto('columns')
        .values(
          input.columns.map((column, index) => ({
            table_id: id,
            name: column.name,
            slug: slugs[index] ?? 'column',
            position: index + 1,
            type: column.type,
            required: column.required ?? false,
            is_unique: column.unique ?? false,
            default_value: column.defaultValue ?? null,
            choices: column.choices ? JSON.stringify(column.choices) : null,
          })),
        )
        .returningAll()
        .execute()
    : []
  const columns = columnRows.map(toColumnInfo)
  await createTableStatement(id, columns).execute(trx)
  if (options.indexes) await createIndexes(trx, id, columns)
  const table = await getTableById(trx, id)
  if (!table) throw new Error(`Table ${id} vanished while being created`)
  return table
}

export class SlugTakenError extends Error {
  constructor(readonly slug: string) {
    super(`You already have a table called “${slug}”`)
  }
}

export async function createTable(db: Db, input: NewTable): Promise<TableInfo> {
  return db.transaction().execute((trx) => insertTable(trx, input))
}

export async function deleteTable(db: Db, tableId: number): Promise<void> {
  await db.transaction().execute(async (trx) => {
    await sql`drop table if exists ${tableRef(tableId)}`.execute(trx)
    await trx.deleteFrom('tables').where('id', '=', tableId).execute()
  })
}

// Keeps the catalog's row count and last-change time in step after a write.
export async function touchTable(trx: Db, tableId: number, rowCountDelta: number | null) {
  await trx
    .updateTable('tables')
    .set((eb) => ({
      updated_at: sql`now()`,
      ...(rowCountDelta ? { row_count: eb('row_count', '+', rowCountDelta) } : {}),
    }))
    .where('id', '=', tableId)
    .execute()
}
