import { describe, expect, it } from 'vitest'
import type { TableInfo } from '../datasource/types.js'
import { canSee, requireAccess, requireAccount } from './access.js'
import { type Actor, ANONYMOUS, readOnly, sessionActor, tokenActor } from './actor.js'

const alice = { id: 1, username: 'alice', name: null, avatarUrl: null }
const bob = { id: 2, username: 'bob', name: null, avatarUrl: null }

function table(id: number, isPublic: boolean): TableInfo {
  const now = new Date()
  return {
    id,
    owner: alice,
    name: `Table ${id}`,
    slug: `table-${id}`,
    description: '',
    isPublic,
    rowCount: 0,
    createdAt: now,
    updatedAt: now,
    columns: [],
  }
}

const token = (scopes: ('read' | 'write' | 'schema')[], tableIds: number[] | null = null) =>
  tokenActor(alice, { id: 9, scopes, tableIds })

const ACTORS: Record<string, Actor> = {
  anonymous: ANONYMOUS,
  'alice (session)': sessionActor(alice),
  'alice (session, API)': readOnly(sessionActor(alice)),
  'bob (session)': sessionActor(bob),
  'alice token read': token(['read']),
  'alice token write': token(['write']),
  'alice token schema': token(['schema']),
  'alice token for table 2': token(['read', 'write', 'schema'], [2]),
  'bob token all scopes': tokenActor(bob, {
    id: 8,
    scopes: ['read', 'write', 'schema'],
    tableIds: null,
  }),
}

// What each actor may do with alice's private table 1: sees it, then the outcome per access.
const EXPECTED: Record<string, [boolean, string, string]> = {
  anonymous: [false, '-', '-'],
  'alice (session)': [true, 'ok', 'ok'],
  'alice (session, API)': [true, 'forbidden', 'forbidden'],
  'bob (session)': [false, '-', '-'],
  'alice token read': [true, 'forbidden', 'forbidden'],
  'alice token write': [true, 'ok', 'forbidden'],
  'alice token schema': [true, 'forbidden', 'ok'],
  'alice token for table 2': [false, '-', '-'],
  'bob token all scopes': [false, '-', '-'],
}

function outcome(actor: Actor, target: TableInfo, access: 'write' | 'schema') {
  try {
    requireAccess(actor, target, access)
    return 'ok'
  } catch (error) {
    return (error as { kind: string }).kind
  }
}

describe('who may see and change a private table', () => {
  it.each(Object.entries(EXPECTED))('%s', (name, [sees, write, schema]) => {
    const actor = ACTORS[name] as Actor
    const secret = table(1, false)
    expect(canSee(actor, secret)).toBe(sees)
    if (sees) {
      expect(outcome(actor, secret, 'write')).toBe(write)
      expect(outcome(actor, secret, 'schema')).toBe(schema)
    }
  })
})

describe('a public table', () => {
  it.each(Object.keys(ACTORS))('is visible to %s', (name) => {
    expect(canSee(ACTORS[name] as Actor, table(1, true))).toBe(true)
  })

  it.each([
    ['anonymous', 'unauthorized'],
    ['bob (session)', 'forbidden'],
    ['bob token all scopes', 'forbidden'],
    ['alice token for table 2', 'forbidden'],
    ['alice (session)', 'ok'],
  ])('refuses or allows writes by %s: %s', (name, expected) => {
    expect(outcome(ACTORS[name] as Actor, table(1, true), 'write')).toBe(expected)
  })
})

describe('creating tables under a username', () => {
  it.each([
    ['anonymous', 'alice', 'unauthorized'],
    ['bob (session)', 'alice', 'forbidden'],
    ['alice (session)', 'ALICE', 'ok'],
    ['alice (session, API)', 'alice', 'forbidden'],
    ['alice token write', 'alice', 'forbidden'],
    ['alice token schema', 'alice', 'ok'],
  ])('%s under %s: %s', (name, username, expected) => {
    let result = 'ok'
    try {
      requireAccount(ACTORS[name] as Actor, username)
    } catch (error) {
      result = (error as { kind: string }).kind
    }
    expect(result).toBe(expected)
  })
})
