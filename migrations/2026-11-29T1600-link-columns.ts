// Link columns: the table a link column points at (a real foreign key to that table's id), and
// what deleting a linked row does: 'clear' (ON DELETE SET NULL) or 'refuse' (RESTRICT).
// No cascade: a table others link to cannot be deleted (src/datasource/tables.ts refuses it first).
import type { Kysely } from 'kysely'

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .alterTable('columns')
    .addColumn('link_table_id', 'integer', (col) => col.references('tables.id'))
    .addColumn('link_on_delete', 'text')
    .execute()
  await db.schema
    .createIndex('columns_link_table_id_idx')
    .on('columns')
    .column('link_table_id')
    .execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('columns_link_table_id_idx').execute()
  await db.schema
    .alterTable('columns')
    .dropColumn('link_on_delete')
    .dropColumn('link_table_id')
    .execute()
}
