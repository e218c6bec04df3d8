// Link columns that hold several links: their values live in a junction table of their own
// (userdata.j<column id>), not in a cell of the user table. Existing link columns hold one.
import type { Kysely } from 'kysely'

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .alterTable('columns')
    .addColumn('link_many', 'boolean', (col) => col.notNull().defaultTo(false))
    .execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('columns').dropColumn('link_many').execute()
}
