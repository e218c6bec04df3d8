// Who is asking: a user (or nobody), how they came (session, token, command line), and what they may do.
export type Scope = 'read' | 'write' | 'schema'

export const SCOPES: readonly Scope[] = ['read', 'write', 'schema']

export interface ActorUser {
  id: number
  username: string
  name: string | null
  avatarUrl: string | null
}

export interface Actor {
  user: ActorUser | null
  via: 'session' | 'token' | 'cli' | 'anonymous'
  scopes: ReadonlySet<Scope>
  // A token's id (for logs and rate limits), and the tables it is limited to (null: all of them).
  tokenId: number | null
  tableIds: ReadonlySet<number> | null
}

const ALL: ReadonlySet<Scope> = new Set(SCOPES)
const READ: ReadonlySet<Scope> = new Set(['read'])

export const ANONYMOUS: Actor = {
  user: null,
  via: 'anonymous',
  scopes: READ,
  tokenId: null,
  tableIds: null,
}

// A browser session may do everything its user may, through the pages (which check CSRF).
export const sessionActor = (user: ActorUser): Actor => ({
  user,
  via: 'session',
  scopes: ALL,
  tokenId: null,
  tableIds: null,
})

// The same session through the API may only read: API writes carry no CSRF token, so they need a token.
export const readOnly = (actor: Actor): Actor => ({ ...actor, scopes: READ })

export const tokenActor = (
  user: ActorUser,
  token: { id: number; scopes: readonly Scope[]; tableIds: readonly number[] | null },
): Actor => ({
  user,
  via: 'token',
  scopes: new Set(token.scopes),
  tokenId: token.id,
  tableIds: token.tableIds ? new Set(token.tableIds) : null,
})

// Whoever runs `scripts/import` on the server acts as the table's owner.
export const cliActor = (user: ActorUser): Actor => ({
  user,
  via: 'cli',
  scopes: ALL,
  tokenId: null,
  tableIds: null,
})

export const hasScope = (actor: Actor, scope: Scope) => actor.scopes.has(scope)
