import { sql } from 'kysely'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Database } from '../db/database.js'
import { createTestDatabase } from '../test/database.js'
import { inlineSql } from './inline-sql.js'

let database: Database
beforeAll(async () => {
  database = await createTestDatabase()
})
afterAll(() => database.close())

describe('inlineSql', () => {
  it.each([
    ['a plain word', 'votes'],
    ['quotes', `it's "quoted" ''twice''`],
    ['backslashes', "\\ \\\\ \\n E'\\x41'"],
    ['a statement', "'; drop table users; --"],
    ['dollars and placeholders', '$1 $$ $tag$'],
    ['unicode', 'naïve 🦉'],
  ])('writes %s as a literal that reads back unchanged', async (_name, value) => {
    const text = inlineSql(database.db, sql`select ${value}::text as v, ${-42} as n, ${null} as z`)
    const { rows } = await sql.raw<{ v: string; n: number; z: null }>(text).execute(database.db)
    expect(rows).toEqual([{ v: value, n: -42, z: null }])
  })

  it.each([
    ['a fraction', 1.5],
    ['an unsafe integer', 2 ** 60],
    ['a boolean', true],
    ['an object', { a: 1 }],
    ['a date', new Date(0)],
  ])('refuses %s', (_name, value) => {
    expect(() => inlineSql(database.db, sql`select ${value}`)).toThrow(
      'cannot be written into SQL as a literal',
    )
  })
})
