// API tokens for the signed-in user: made (shown once), listed and revoked from Settings, never by a token.
import * as v from 'valibot'
import * as tokens from '../auth/tokens.js'
import { listTables } from '../datasource/catalog.js'
import type { TableInfo } from '../datasource/types.js'
import type { Db } from '../db/database.js'
import { type Actor, SCOPES, type Scope } from './actor.js'
import { ConflictError, ForbiddenError, InvalidError, UnauthorizedError } from './errors.js'

export const EXPIRY_DAYS = { '30': 30, '90': 90, '365': 365, never: null } as const
export type Expiry = keyof typeof EXPIRY_DAYS

export const TokenInputSchema = v.object({
  name: v.pipe(
    v.string(),
    v.trim(),
    v.nonEmpty('Give the token a name, to tell it apart later'),
    v.maxLength(100, 'A name must be at most 100 characters'),
  ),
  scopes: v.pipe(
    v.array(v.picklist(SCOPES, 'Unknown scope')),
    v.minLength(1, 'Choose at least one scope'),
  ),
  // Table ids the token is limited to; empty means all of the user's tables.
  tableIds: v.array(v.number()),
  expiry: v.picklist(Object.keys(EXPIRY_DAYS) as Expiry[], 'Choose when the token expires'),
})

export type TokenInput = v.InferInput<typeof TokenInputSchema>

// Tokens are made and revoked through a signed-in browser only, so a leaked token cannot mint more.
function sessionUser(actor: Actor) {
  if (!actor.user) throw new UnauthorizedError()
  if (actor.via !== 'session') throw new ForbiddenError('API tokens are managed in Settings.')
  return actor.user
}

export async function listTokens(db: Db, actor: Actor) {
  const user = sessionUser(actor)
  const [list, own] = await Promise.all([
    tokens.listApiTokens(db, user.id),
    listTables(db, { ownerId: user.id, viewerId: user.id }),
  ])
  return { tokens: list, tables: own }
}

export async function createToken(
  db: Db,
  actor: Actor,
  input: TokenInput,
  now = new Date(),
): Promise<{ token: string; record: tokens.ApiToken }> {
  const user = sessionUser(actor)
  const parsed = v.safeParse(TokenInputSchema, input)
  if (!parsed.success) {
    const errors: Record<string, string> = {}
    for (const issue of parsed.issues)
      errors[v.getDotPath(issue)?.split('.')[0] ?? 'form'] ??= issue.message
    throw new InvalidError('The token could not be made.', { errors })
  }
  const { name, scopes, tableIds, expiry } = parsed.output
  const own = new Set(
    (await listTables(db, { ownerId: user.id, viewerId: user.id })).map((t: TableInfo) => t.id),
  )
  if (tableIds.some((id) => !own.has(id))) {
    throw new InvalidError('The token could not be made.', {
      errors: { tableIds: 'Choose among your own tables' },
    })
  }
  if ((await tokens.countApiTokens(db, user.id)) >= tokens.MAX_TOKENS_PER_USER) {
    throw new ConflictError(
      `You have ${tokens.MAX_TOKENS_PER_USER} tokens, the most allowed; revoke one you no longer use.`,
      { errors: { form: 'Revoke a token you no longer use first' } },
    )
  }
  const days = EXPIRY_DAYS[expiry]
  return tokens.createApiToken(db, {
    userId: user.id,
    name,
    scopes: SCOPES.filter((scope: Scope) => scopes.includes(scope)),
    tableIds: tableIds.length ? [...new Set(tableIds)] : null,
    expiresAt: days === null ? null : new Date(now.getTime() + days * 24 * 60 * 60 * 1000),
  })
}

export async function revokeToken(db: Db, actor: Actor, tokenId: number): Promise<boolean> {
  return tokens.revokeApiToken(db, sessionUser(actor).id, tokenId)
}
