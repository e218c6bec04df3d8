// Rate-limit counters shared by every worker and dyno, and indexes for the paginated table lists.
import { type Kysely, sql } from 'kysely'

export async function up(db: Kysely<any>): Promise<void> {
  // Unlogged: no write-ahead log for a counter bumped on many requests. A crash empties it, which
  // only forgives the current windows.
  await sql`
    create unlogged table rate_limits (
      key text primary key,
      hits integer not null,
      resets_at timestamptz not null
    )`.execute(db)
  await sql`create index rate_limits_resets_at_idx on rate_limits (resets_at)`.execute(db)
  // The dashboard's public tables and a profile's tables, newest change first, a page at a time.
  await sql`create index tables_public_recent_idx on tables (updated_at desc, id desc) where is_public`.execute(
    db,
  )
  await sql`create index tables_owner_recent_idx on tables (owner_id, updated_at desc, id desc)`.execute(
    db,
  )
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop index tables_owner_recent_idx`.execute(db)
  await sql`drop index tables_public_recent_idx`.execute(db)
  await sql`drop table rate_limits`.execute(db)
}
