// Tables for an actor: listing a user's tables, creating one (with its columns), changing and deleting it.
import { findUserByUsername } from '../auth/users.js'
import { listTables } from '../datasource/catalog.js'
import { updateTable } from '../datasource/table-settings.js'
import * as tables from '../datasource/tables.js'
import type { ColumnSpec, TableInfo } from '../datasource/types.js'
import type { Db } from '../db/database.js'
import type { UserRow } from '../db/schema.js'
import { canSee, requireAccess, requireAccount } from './access.js'
import type { Actor } from './actor.js'
import { ForbiddenError, NotFoundError } from './errors.js'
import { refusing } from './refusals.js'
import { createTableWithinQuota } from './table-quota.js'

export interface TableInput {
  name: string
  description?: string
  isPublic?: boolean
  columns?: ColumnSpec[]
}

export interface TableChanges {
  name?: string
  description?: string
  isPublic?: boolean
}

export async function findUser(db: Db, username: string): Promise<UserRow> {
  const user = await findUserByUsername(db, username)
  if (!user) throw new NotFoundError('This user')
  return user
}

// A user's tables the actor may see: all of them for their owner, the public ones for others.
export async function listUserTables(
  db: Db,
  actor: Actor,
  username: string,
): Promise<{ user: UserRow; tables: TableInfo[] }> {
  const user = await findUser(db, username)
  const viewerId = actor.user?.id === user.id ? user.id : null
  const found = await listTables(db, { ownerId: user.id, viewerId })
  return { user, tables: found.filter((table) => canSee(actor, table)) }
}

// Within the user's table quota (MAX_TABLES_PER_USER), counted and created under one lock.
export async function createTable(
  db: Db,
  actor: Actor,
  username: string,
  input: TableInput,
  maxTables: number,
): Promise<TableInfo> {
  const user = requireAccount(actor, username)
  if (actor.tableIds !== null) {
    throw new ForbiddenError('This API token is limited to chosen tables, so it cannot create one.')
  }
  const table = {
    ownerId: user.id,
    name: input.name,
    description: input.description ?? '',
    isPublic: input.isPublic ?? true,
    columns: input.columns ?? [],
  }
  return refusing(() => createTableWithinQuota(db, table, maxTables))
}

export async function changeTable(
  db: Db,
  actor: Actor,
  table: TableInfo,
  changes: TableChanges,
): Promise<TableInfo> {
  requireAccess(actor, table, 'schema')
  return refusing(() => updateTable(db, table, changes))
}

export async function deleteTable(db: Db, actor: Actor, table: TableInfo): Promise<void> {
  requireAccess(actor, table, 'schema')
  await refusing(() => tables.deleteTable(db, table.id))
}
