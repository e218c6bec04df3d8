// A table's default columns and saved views for an actor: anyone who sees the table reads them;
// only its owner (with the schema scope) saves or deletes them.
import {
  deleteView,
  findView,
  getPageSettings,
  getShownColumns,
  listViews,
  type PageSettings,
  saveView,
  setShownColumns,
  type TableView,
  type ViewState,
} from '../datasource/table-views.js'
import type { TableInfo } from '../datasource/types.js'
import type { Db } from '../db/database.js'
import { requireAccess } from './access.js'
import type { Actor } from './actor.js'
import { InvalidError, NotFoundError } from './errors.js'

export type { TableView, ViewState } from '../datasource/table-views.js'

export function readShownColumns(db: Db, actor: Actor, table: TableInfo) {
  requireAccess(actor, table, 'read')
  return getShownColumns(db, table.id)
}

// Slugs of the columns to show by default; unknown ones are ignored.
export async function saveShownColumns(
  db: Db,
  actor: Actor,
  table: TableInfo,
  slugs: readonly string[],
): Promise<void> {
  requireAccess(actor, table, 'schema')
  const ids = table.columns.filter((column) => slugs.includes(column.slug)).map((c) => c.id)
  await setShownColumns(db, table, ids)
}

// The default columns, the views and the planner's estimates the table page needs, at once.
export function readPageSettings(db: Db, actor: Actor, table: TableInfo): Promise<PageSettings> {
  requireAccess(actor, table, 'read')
  return getPageSettings(db, table)
}

export function readViews(db: Db, actor: Actor, table: TableInfo): Promise<TableView[]> {
  requireAccess(actor, table, 'read')
  return listViews(db, table.id)
}

export async function readView(
  db: Db,
  actor: Actor,
  table: TableInfo,
  slug: string,
): Promise<TableView> {
  requireAccess(actor, table, 'read')
  const view = slug.length <= 200 ? await findView(db, table.id, slug) : null
  if (!view) throw new NotFoundError('This view')
  return view
}

export async function createView(
  db: Db,
  actor: Actor,
  table: TableInfo,
  name: string,
  state: ViewState,
): Promise<TableView> {
  requireAccess(actor, table, 'schema')
  const saved = await saveView(db, table, name, state)
  if (!saved.ok) throw new InvalidError(saved.message, { errors: { name: saved.message } })
  return saved.view
}

export async function removeView(
  db: Db,
  actor: Actor,
  table: TableInfo,
  slug: string,
): Promise<void> {
  const view = await readView(db, actor, table, slug)
  requireAccess(actor, table, 'schema')
  await deleteView(db, table.id, view.id)
}
