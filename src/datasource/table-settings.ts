// Changing a table's name, description and visibility; a rename keeps the old URL as a redirect.
import { sql } from 'kysely'
import * as v from 'valibot'
import type { Db } from '../db/database.js'
import { slugify } from '../lib/slug.js'
import { getTableById } from './catalog.js'
import { TableDescriptionSchema, TableNameSchema, TableSettingsError } from './table-names.js'
import { SlugTakenError, takenTableSlugs } from './tables.js'
import type { TableInfo } from './types.js'

export { TableSettingsError } from './table-names.js'

export const TableSettingsSchema = v.object({
  name: v.optional(TableNameSchema),
  description: v.optional(TableDescriptionSchema),
  isPublic: v.optional(v.boolean()),
})

export type TableSettings = v.InferInput<typeof TableSettingsSchema>

// Frees `slug` for the table: a redirect holding it goes, another table holding it (or a reserved
// word) refuses the rename. The old slug becomes a redirect.
async function moveSlug(trx: Db, tableId: number, ownerId: number, from: string, to: string) {
  await trx
    .deleteFrom('table_redirects')
    .where('owner_id', '=', ownerId)
    .where('slug', '=', to)
    .execute()
  if ((await takenTableSlugs(trx, ownerId)).has(to)) throw new SlugTakenError(to)
  await trx
    .insertInto('table_redirects')
    .values({ owner_id: ownerId, slug: from, table_id: tableId })
    .onConflict((oc) => oc.columns(['owner_id', 'slug']).doUpdateSet({ table_id: tableId }))
    .execute()
}

// All or nothing; throws TableSettingsError for bad input and SlugTakenError for a taken name.
export async function updateTable(
  db: Db,
  table: TableInfo,
  settings: TableSettings,
): Promise<TableInfo> {
  const parsed = v.safeParse(TableSettingsSchema, settings)
  if (!parsed.success) {
    const [issue] = parsed.issues
    throw new TableSettingsError(v.getDotPath(issue) ?? '', issue.message)
  }
  const { name, description, isPublic } = parsed.output
  const newSlug = name === undefined ? null : slugify(name, '-') || 'table'
  try {
    return await db.transaction().execute(async (trx) => {
      const current = await trx
        .selectFrom('tables')
        .select(['slug', 'owner_id'])
        .where('id', '=', table.id)
        .forUpdate()
        .executeTakeFirst()
      if (!current) throw new Error(`Table ${table.id} no longer exists`)
      const slug = newSlug ?? current.slug
      if (slug !== current.slug) await moveSlug(trx, table.id, current.owner_id, current.slug, slug)
      await trx
        .updateTable('tables')
        .set({ name, slug, description, is_public: isPublic, updated_at: sql`now()` })
        .where('id', '=', table.id)
        .execute()
      // The row is locked above, so the table is still there.
      return (await getTableById(trx, table.id)) as TableInfo
    })
  } catch (error) {
    // Another rename (or a new table) took the slug after our check but before our commit.
    const { code, constraint } = error as { code?: string; constraint?: string }
    if (newSlug && code === '23505' && constraint === 'tables_owner_slug_key') {
      throw new SlugTakenError(newSlug)
    }
    throw error
  }
}
