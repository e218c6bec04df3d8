// Kysely types for the app's own catalog tables (user tables go through the DataSource).
import type { ColumnType, Generated, Insertable, Selectable, Updateable } from 'kysely'

type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>

export interface UsersTable {
  id: Generated<number>
  // bigint, parsed as a number by both drivers (see openPostgres).
  github_id: number | null
  username: string
  name: string | null
  avatar_url: string | null
  created_at: Timestamp
  last_login_at: Timestamp | null
}

export interface SessionsTable {
  id: string
  key: string
  user_id: number
  created_at: Timestamp
  last_seen_at: Timestamp
  expires_at: Timestamp
  user_agent: ColumnType<string, string | undefined, string>
}

export interface TablesTable {
  id: Generated<number>
  owner_id: number
  name: string
  slug: string
  description: ColumnType<string, string | undefined, string>
  is_public: ColumnType<boolean, boolean | undefined, boolean>
  row_count: ColumnType<number, number | undefined, number>
  // The owner's default set of shown columns, by id; null: all.
  shown_columns: ColumnType<number[] | null, number[] | null | undefined, number[] | null>
  created_at: Timestamp
  updated_at: Timestamp
}

export interface TableRedirectsTable {
  owner_id: number
  slug: string
  table_id: number
}

export interface ColumnsTable {
  id: Generated<number>
  table_id: number
  name: string
  slug: string
  position: number
  type: string
  required: ColumnType<boolean, boolean | undefined, boolean>
  is_unique: ColumnType<boolean, boolean | undefined, boolean>
  default_value: string | null
  choices: ColumnType<string[] | null, string | null | undefined, string | null>
  // Link columns only: the target table, and 'clear' or 'refuse' on delete of a linked row.
  link_table_id: ColumnType<number | null, number | null | undefined, number | null>
  link_on_delete: ColumnType<string | null, string | null | undefined, string | null>
  // Link columns only: several links, kept in the junction table userdata.j<id> (no cell).
  link_many: ColumnType<boolean, boolean | undefined, boolean>
  // The target's column a linked row is shown by (null: its first text column).
  link_display_column_id: ColumnType<number | null, number | null | undefined, number | null>
  created_at: Timestamp
}

export interface ApiTokensTable {
  id: Generated<number>
  user_id: number
  name: string
  lookup: string
  token_hash: string
  scopes: string[]
  table_ids: number[] | null
  created_at: Timestamp
  expires_at: Timestamp | null
  last_used_at: Timestamp | null
}

export interface TableViewsTable {
  id: Generated<number>
  table_id: number
  name: string
  slug: string
  state: ColumnType<unknown, string, string>
  created_at: Timestamp
  updated_at: Timestamp
}

export interface Catalog {
  table_views: TableViewsTable
  api_tokens: ApiTokensTable
  users: UsersTable
  sessions: SessionsTable
  tables: TablesTable
  table_redirects: TableRedirectsTable
  columns: ColumnsTable
}

export type UserRow = Selectable<UsersTable>
export type NewUserRow = Insertable<UsersTable>
export type TableRow = Selectable<TablesTable>
export type ColumnRow = Selectable<ColumnsTable>
export type ColumnUpdate = Updateable<ColumnsTable>
