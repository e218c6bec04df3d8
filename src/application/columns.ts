// A table's columns for an actor with the schema scope: add, change (rename, retype, constraints), move, drop.

import { getTableById, listTables } from '../datasource/catalog.js'
import type { ColumnChanges } from '../datasource/columns.js'
import * as columns from '../datasource/columns.js'
import type { ColumnInfo, ColumnSpec, TableInfo } from '../datasource/types.js'
import type { Db } from '../db/database.js'
import { requireAccess } from './access.js'
import type { Actor } from './actor.js'
import { NotFoundError } from './errors.js'
import { refusing } from './refusals.js'

export function findColumn(table: TableInfo, slug: string): ColumnInfo {
  const column = table.columns.find((candidate) => candidate.slug === slug)
  if (!column) throw new NotFoundError('This column')
  return column
}

// The tables a new link column of `table` may point at: its owner's, itself included.
export async function linkTargets(db: Db, actor: Actor, table: TableInfo) {
  requireAccess(actor, table, 'schema')
  const tables = await listTables(db, { ownerId: table.owner.id, viewerId: table.owner.id })
  return tables.map((target) => ({ slug: target.slug, name: target.name }))
}

// The columns a link column may show of its target (none for another column).
export async function displayChoices(db: Db, actor: Actor, table: TableInfo, column: ColumnInfo) {
  requireAccess(actor, table, 'schema')
  const target = column.link ? await getTableById(db, column.link.tableId) : null
  return (target?.columns ?? []).map((choice) => ({ slug: choice.slug, name: choice.name }))
}

// Each returns the table as it is after the change.
export async function addColumn(db: Db, actor: Actor, table: TableInfo, spec: ColumnSpec) {
  requireAccess(actor, table, 'schema')
  return refusing(() => columns.addColumn(db, table, spec))
}

export async function changeColumn(
  db: Db,
  actor: Actor,
  table: TableInfo,
  column: ColumnInfo,
  changes: ColumnChanges,
) {
  requireAccess(actor, table, 'schema')
  return refusing(() => columns.updateColumn(db, table, column.id, changes))
}

export async function moveColumn(
  db: Db,
  actor: Actor,
  table: TableInfo,
  column: ColumnInfo,
  direction: 'up' | 'down',
) {
  requireAccess(actor, table, 'schema')
  return refusing(() => columns.moveColumn(db, table, column.id, direction))
}

export async function dropColumn(db: Db, actor: Actor, table: TableInfo, column: ColumnInfo) {
  requireAccess(actor, table, 'schema')
  return refusing(() => columns.deleteColumn(db, table, column.id))
}
