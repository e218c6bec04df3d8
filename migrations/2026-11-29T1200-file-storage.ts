// Uploaded files kept in Postgres (a DATABASE_URL without an S3 bucket): objects and their chunks.
import { type Kysely, sql } from 'kysely'

export async function up(db: Kysely<any>): Promise<void> {
  // A chunk table of its own, so an object is visible (in file_objects) only once it is whole.
  await sql`
    create table file_chunks (
      key text not null,
      seq integer not null,
      data bytea not null,
      primary key (key, seq)
    )`.execute(db)
  await sql`
    create table file_objects (
      key text primary key,
      size bigint not null,
      created_at timestamptz not null default now()
    )`.execute(db)
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop table file_objects`.execute(db)
  await sql`drop table file_chunks`.execute(db)
}
