// Creating and dropping user tables: the catalog rows and the real table change together.
import { sql } from 'kysely'
import type { Db } from '../db/database.js'
import { slugify, uniqueSlug } from '../lib/slug.js'
import { getTableById, toColumnInfo } from './catalog.js'
import { ColumnChangeError } from './column-errors.js'
import { type ColumnShape, newColumnShape } from './column-spec.js'
import { createIndexes, createTableStatement } from './ddl.js'
import { queueTableFiles, syncFileTrigger } from './file-cells.js'
import { createJunctionStatements, dropJunctions } from './link-lists.js'
import { linkCatalogValues, lockLinkTarget, refuseLinkedTable } from './links.js'
import { tableRef } from './names.js'
import { checkTableText, TableDescriptionSchema, TableNameSchema } from './table-names.js'
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

// Every column checked as addColumn checks one; ColumnChangeError names the first at fault.
export function checkColumnSpecs(specs: ColumnSpec[]): ColumnShape[] {
  if (specs.length > MAX_COLUMNS) {
    throw new ColumnChangeError(
      `A table can have at most ${MAX_COLUMNS} columns, not ${specs.length.toLocaleString('en-GB')}`,
    )
  }
  return specs.map(newColumnShape)
}

// Another table (made at the same moment) took the slug after our check: Postgres says so.
const isSlugTaken = (error: unknown) => {
  const { code, constraint } = error as { code?: string; constraint?: string }
  return code === '23505' && constraint === 'tables_owner_slug_key'
}

// Must run inside a transaction when combined with other writes (an import, say), which may
// leave out the indexes and build them after loading the rows: that is much faster. Throws
// TableSettingsError, ColumnChangeError or SlugTakenError for what it refuses.
export async function insertTable(
  trx: Db,
  input: NewTable,
  options = { indexes: true },
): Promise<TableInfo> {
  const name = checkTableText(TableNameSchema, 'name', input.name)
  const description = checkTableText(TableDescriptionSchema, 'description', input.description ?? '')
  const shapes = checkColumnSpecs(input.columns)
  const slug = slugify(name, '-') || 'table'
  const taken = await takenTableSlugs(trx, input.ownerId)
  if (taken.has(slug)) throw new SlugTakenError(slug)
  const { id } = await trx
    .insertInto('tables')
    .values({
      owner_id: input.ownerId,
      name,
      slug,
      description,
      is_public: input.isPublic ?? true,
    })
    .returning('id')
    .executeTakeFirstOrThrow()
    .catch((error: unknown) => {
      throw isSlugTaken(error) ? new SlugTakenError(slug) : error
    })
  for (const shape of shapes) shape.link = await lockLinkTarget(trx, input.ownerId, shape.link)
  const slugs = columnSlugs(shapes.map((column) => column.name))
  const columnRows = shapes.length
    ? await trx
        .insertInto('columns')
        .values(
          shapes.map((column, index) => ({
            table_id: id,
            name: column.name,
            slug: slugs[index] ?? 'column',
            position: index + 1,
            type: column.type,
            required: column.required,
            is_unique: column.unique,
            default_value: column.defaultValue,
            choices: column.choices ? JSON.stringify(column.choices) : null,
            ...linkCatalogValues(column.link),
          })),
        )
        .returningAll()
        .execute()
    : []
  const columns = columnRows.map(toColumnInfo)
  await createTableStatement(id, columns).execute(trx)
  for (const column of columns) {
    for (const statement of createJunctionStatements(id, column)) await statement.execute(trx)
  }
  if (options.indexes) await createIndexes(trx, id, columns)
  await syncFileTrigger(trx, id, columns)
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
    // Held until commit, so no link to it can be made meanwhile (see lockLinkTarget).
    await trx.selectFrom('tables').select('id').where('id', '=', tableId).forUpdate().execute()
    await refuseLinkedTable(trx, tableId)
    // Its files are deleted from storage once this commits.
    await queueTableFiles(trx, tableId)
    await dropJunctions(trx, tableId)
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
