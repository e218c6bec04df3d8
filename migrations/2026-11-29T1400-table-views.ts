// A table's chosen columns (its owner's default set) and saved views: filters, search, sort, facets
// and columns under a name. Columns are kept by id, so renames of columns and tables change nothing.
import { type Kysely, sql } from 'kysely'

export async function up(db: Kysely<any>): Promise<void> {
  // null: every column.
  await db.schema.alterTable('tables').addColumn('shown_columns', sql`integer[]`).execute()
  await db.schema
    .createTable('table_views')
    .addColumn('id', 'serial', (col) => col.primaryKey())
    .addColumn('table_id', 'integer', (col) =>
      col.notNull().references('tables.id').onDelete('cascade'),
    )
    .addColumn('name', 'text', (col) => col.notNull())
    .addColumn('slug', 'text', (col) => col.notNull())
    // { search, order, filters, facets, columns }, columns by id: see src/datasource/views.ts.
    .addColumn('state', 'jsonb', (col) => col.notNull())
    .addColumn('created_at', 'timestamptz', (col) => col.notNull().defaultTo(sql`now()`))
    .addColumn('updated_at', 'timestamptz', (col) => col.notNull().defaultTo(sql`now()`))
    .addUniqueConstraint('table_views_table_slug_key', ['table_id', 'slug'])
    .execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('table_views').execute()
  await db.schema.alterTable('tables').dropColumn('shown_columns').execute()
}
