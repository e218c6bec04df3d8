// Opening a table for an actor with the access it needs: the one place that says who sees and changes what.
import { findTable } from '../datasource/catalog.js'
import type { TableInfo } from '../datasource/types.js'
import type { Db } from '../db/database.js'
import { type Actor, hasScope, type Scope } from './actor.js'
import { ForbiddenError, MovedError, NotFoundError, UnauthorizedError } from './errors.js'

// read: see rows and schema; write: change rows; schema: change the table and its columns.
export type Access = Scope

const isOwner = (actor: Actor, table: TableInfo) => actor.user?.id === table.owner.id

const coversTable = (actor: Actor, table: TableInfo) =>
  actor.tableIds === null || actor.tableIds.has(table.id)

// Write and schema tokens read too: a conditional update needs the row's current version.
const mayRead = (actor: Actor) =>
  hasScope(actor, 'read') || hasScope(actor, 'write') || hasScope(actor, 'schema')

// Public tables are open to all; a private one only to its owner, through a session or a token that
// covers it. Everyone else cannot tell it exists.
export function canSee(actor: Actor, table: TableInfo): boolean {
  if (table.isPublic) return true
  return isOwner(actor, table) && mayRead(actor) && coversTable(actor, table)
}

// Throws unless the actor may act on the table with `access`. Assumes canSee already holds.
export function requireAccess(actor: Actor, table: TableInfo, access: Access): void {
  if (access === 'read') return
  if (!actor.user) throw new UnauthorizedError()
  if (!isOwner(actor, table)) {
    throw new ForbiddenError(`Only ${table.owner.username} can change this table.`)
  }
  if (!coversTable(actor, table)) {
    throw new ForbiddenError('This API token is limited to other tables.')
  }
  if (!hasScope(actor, access)) {
    throw new ForbiddenError(
      actor.via === 'token'
        ? `This API token lacks the “${access}” scope.`
        : 'Writes through the API need an API token (Authorization: Bearer …).',
    )
  }
}

export interface TableAddress {
  username: string
  slug: string
}

// The table at an address, for an actor: NotFoundError when missing or invisible (renamed or not),
// MovedError (new slug) for a renamed table the actor may see, else the access checks.
export async function openTable(
  db: Db,
  actor: Actor,
  address: TableAddress,
  access: Access,
): Promise<TableInfo> {
  const lookup = await findTable(db, address.username, address.slug)
  if (lookup.found === 'redirect') {
    const moved = await findTable(db, address.username, lookup.slug)
    if (moved.found === 'table' && canSee(actor, moved.table)) {
      throw new MovedError(moved.table.owner.username, lookup.slug)
    }
    throw new NotFoundError('This table')
  }
  if (lookup.found === 'none' || !canSee(actor, lookup.table)) {
    throw new NotFoundError('This table')
  }
  requireAccess(actor, lookup.table, access)
  return lookup.table
}

// Creating tables under `username` is for that user only, with the schema scope.
export function requireAccount(
  actor: Actor,
  username: string,
  refusal = 'You can only create tables of your own.',
) {
  const scope: Scope = 'schema'
  const user = actor.user
  if (!user) throw new UnauthorizedError()
  if (user.username.toLowerCase() !== username.toLowerCase()) throw new ForbiddenError(refusal)
  if (!hasScope(actor, scope)) {
    throw new ForbiddenError(
      actor.via === 'token'
        ? `This API token lacks the “${scope}” scope.`
        : 'Writes through the API need an API token (Authorization: Bearer …).',
    )
  }
  return user
}
