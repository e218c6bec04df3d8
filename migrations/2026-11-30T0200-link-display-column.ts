// A link column's display column: the target table's column whose value stands for a linked row
// (null: the target's first text column). Deleting that column falls back to the default.
import type { Kysely } from 'kysely'

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .alterTable('columns')
    .addColumn('link_display_column_id', 'integer', (col) =>
      col.references('columns.id').onDelete('set null'),
    )
    .execute()
  await db.schema
    .createIndex('columns_link_display_column_id_idx')
    .on('columns')
    .column('link_display_column_id')
    .execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('columns_link_display_column_id_idx').execute()
  await db.schema.alterTable('columns').dropColumn('link_display_column_id').execute()
}
