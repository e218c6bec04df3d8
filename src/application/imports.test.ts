import { describe, expect, it } from 'vitest'
import type { ColumnInfo, TableInfo } from '../datasource/types.js'
import { matchHeaders } from './imports.js'

const column = (id: number, name: string, slug: string): ColumnInfo => ({
  id,
  name,
  slug,
  type: 'text',
  position: id,
  required: false,
  unique: false,
  defaultValue: null,
  choices: null,
})
const columns = [column(1, 'First name', 'first_name'), column(2, 'Votes cast', 'votes')]
const now = new Date()
const table: TableInfo = {
  id: 1,
  owner: { id: 1, username: 'demo', name: null, avatarUrl: null },
  name: 'T',
  slug: 't',
  description: '',
  isPublic: true,
  rowCount: 0,
  createdAt: now,
  updatedAt: now,
  columns,
}

describe('matching CSV headers to columns', () => {
  it('matches headers by slug or by name', () => {
    expect(matchHeaders(table, ['votes', 'First Name'])).toEqual([columns[1], columns[0]])
    expect(matchHeaders(table, [' votes cast '])).toEqual([columns[1]])
  })

  it.each([
    [
      ['votes', 'age'],
      'No column of demo/t matches the CSV column "age" (its columns: First name, Votes cast)',
    ],
    [
      ['', 'x'],
      'No column of demo/t matches the CSV columns "", "x" (its columns: First name, Votes cast)',
    ],
    [
      ['votes', 'Votes cast'],
      'The CSV columns "votes" and "Votes cast" both match the column "Votes cast"',
    ],
  ])('refuses %j', (header, message) => {
    expect(() => matchHeaders(table, header)).toThrow(message)
  })
})
