// Uploaded files: kept in Postgres (a DATABASE_URL without an S3 bucket) as objects and chunks;
// and, whatever the storage, the queue of files to delete once the change that dropped them commits.
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
  // Written in the same transaction as the delete, update, drop column or drop table that let go
  // of a file, and emptied (after commit) by whoever deletes the objects from storage.
  await sql`
    create table file_deletions (
      key text primary key,
      queued_at timestamptz not null default now()
    )`.execute(db)
  // A trigger on each user table with file columns (their physical names are its arguments):
  // a deleted row's files, and a cell's file replaced or cleared, go to the queue.
  await sql`
    create function queue_file_deletions() returns trigger language plpgsql as $$
    declare
      old_row jsonb := to_jsonb(OLD);
      new_row jsonb := case when TG_OP = 'UPDATE' then to_jsonb(NEW) end;
      col text;
      cell jsonb;
    begin
      foreach col in array TG_ARGV loop
        cell := old_row -> col;
        if jsonb_typeof(cell) = 'object' and (new_row is null or new_row -> col is distinct from cell) then
          insert into public.file_deletions (key)
            select k from (values (cell ->> 'key'), (cell ->> 'thumbnail')) as v (k)
            where k is not null
            on conflict do nothing;
        end if;
      end loop;
      return null;
    end $$`.execute(db)
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop function queue_file_deletions() cascade`.execute(db)
  await sql`drop table file_deletions`.execute(db)
  await sql`drop table file_objects`.execute(db)
  await sql`drop table file_chunks`.execute(db)
}
