// The catalog: users, their sessions, their tables and columns. User data lives in schema userdata.
import { type Kysely, sql } from 'kysely'

export async function up(db: Kysely<any>): Promise<void> {
  await sql`create extension if not exists pg_trgm`.execute(db)
  await sql`create schema if not exists userdata`.execute(db)

  await db.schema
    .createTable('users')
    .addColumn('id', 'serial', (col) => col.primaryKey())
    .addColumn('github_id', 'bigint', (col) => col.unique())
    .addColumn('username', 'text', (col) => col.notNull())
    .addColumn('name', 'text')
    .addColumn('avatar_url', 'text')
    .addColumn('created_at', 'timestamptz', (col) => col.notNull().defaultTo(sql`now()`))
    .addColumn('last_login_at', 'timestamptz')
    .execute()
  await sql`create unique index users_username_key on users (lower(username))`.execute(db)

  await db.schema
    .createTable('sessions')
    // The SHA-256 of the cookie's token; `key` names the session in the settings page instead.
    .addColumn('id', 'text', (col) => col.primaryKey())
    .addColumn('key', 'text', (col) => col.notNull().unique())
    .addColumn('user_id', 'integer', (col) =>
      col.notNull().references('users.id').onDelete('cascade'),
    )
    .addColumn('created_at', 'timestamptz', (col) => col.notNull().defaultTo(sql`now()`))
    .addColumn('last_seen_at', 'timestamptz', (col) => col.notNull().defaultTo(sql`now()`))
    .addColumn('expires_at', 'timestamptz', (col) => col.notNull())
    .addColumn('user_agent', 'text', (col) => col.notNull().defaultTo(''))
    .execute()
  await db.schema.createIndex('sessions_user_id_idx').on('sessions').column('user_id').execute()

  await db.schema
    .createTable('tables')
    .addColumn('id', 'serial', (col) => col.primaryKey())
    .addColumn('owner_id', 'integer', (col) =>
      col.notNull().references('users.id').onDelete('cascade'),
    )
    .addColumn('name', 'text', (col) => col.notNull())
    .addColumn('slug', 'text', (col) => col.notNull())
    .addColumn('description', 'text', (col) => col.notNull().defaultTo(''))
    .addColumn('is_public', 'boolean', (col) => col.notNull().defaultTo(true))
    .addColumn('row_count', 'bigint', (col) => col.notNull().defaultTo(0))
    .addColumn('created_at', 'timestamptz', (col) => col.notNull().defaultTo(sql`now()`))
    .addColumn('updated_at', 'timestamptz', (col) => col.notNull().defaultTo(sql`now()`))
    .addUniqueConstraint('tables_owner_slug_key', ['owner_id', 'slug'])
    .execute()

  // Old slugs of renamed tables, so their URLs keep working.
  await db.schema
    .createTable('table_redirects')
    .addColumn('owner_id', 'integer', (col) =>
      col.notNull().references('users.id').onDelete('cascade'),
    )
    .addColumn('slug', 'text', (col) => col.notNull())
    .addColumn('table_id', 'integer', (col) =>
      col.notNull().references('tables.id').onDelete('cascade'),
    )
    .addPrimaryKeyConstraint('table_redirects_pkey', ['owner_id', 'slug'])
    .execute()

  await db.schema
    .createTable('columns')
    .addColumn('id', 'serial', (col) => col.primaryKey())
    .addColumn('table_id', 'integer', (col) =>
      col.notNull().references('tables.id').onDelete('cascade'),
    )
    .addColumn('name', 'text', (col) => col.notNull())
    .addColumn('slug', 'text', (col) => col.notNull())
    .addColumn('position', 'integer', (col) => col.notNull())
    .addColumn('type', 'text', (col) => col.notNull())
    .addColumn('required', 'boolean', (col) => col.notNull().defaultTo(false))
    .addColumn('is_unique', 'boolean', (col) => col.notNull().defaultTo(false))
    .addColumn('default_value', 'text')
    .addColumn('choices', 'jsonb')
    .addColumn('created_at', 'timestamptz', (col) => col.notNull().defaultTo(sql`now()`))
    .addUniqueConstraint('columns_table_slug_key', ['table_id', 'slug'])
    .execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const table of ['columns', 'table_redirects', 'tables', 'sessions', 'users']) {
    await db.schema.dropTable(table).execute()
  }
  await sql`drop schema if exists userdata cascade`.execute(db)
}
