import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { getTableById } from '../datasource/catalog.js'
import { deleteColumn } from '../datasource/columns.js'
import { ImportError } from '../datasource/import.js'
import { deleteTable } from '../datasource/tables.js'
import type { Database } from '../db/database.js'
import { createTestDatabase } from '../test/database.js'
import { createOwner, tableWithRows } from '../test/datasource-fixtures.js'
import { appendCsvFile, importCsvFileAsTable, inspectCsvFile } from './csv-file.js'

const dir = mkdtempSync(join(tmpdir(), 'csv-odd-'))
let files = 0
const file = (text: string) => {
  const path = join(dir, `${++files}.csv`)
  writeFileSync(path, text)
  return path
}

let database: Database
let ownerId: number
beforeAll(async () => {
  database = await createTestDatabase()
  ownerId = await createOwner(database, 'odd')
})
afterAll(async () => {
  await database.close()
  rmSync(dir, { recursive: true, force: true })
})

const header = (width: number) => Array.from({ length: width }, (_, i) => `c${i}`).join(',')
const refusal = (promise: Promise<unknown>) =>
  promise.then(
    () => 'accepted',
    (error: unknown) => (error instanceof ImportError ? error.message : `threw ${String(error)}`),
  )

describe('a file that cannot be read as CSV', () => {
  it.each([
    [
      'a quote never closed (10 bytes)',
      'id\n"open,x',
      'line 2: a quoted value has no closing quote',
    ],
    ['no rows at all', '', 'the file is empty'],
    [
      'a value over a million characters',
      `notes\n"${'x'.repeat(1_000_001)}"\n`,
      'line 2: a value is longer than 1,000,000 characters',
    ],
  ])('is refused with a message when inspected: %s', async (_, text, message) => {
    expect(await refusal(inspectCsvFile(file(text)))).toBe(message)
  })
})

describe('a file wider than a table', () => {
  it.each([
    [201, 'it has 201 columns, and a table can have at most 200'],
    [1_000, 'it has 1,000 columns, and a table can have at most 200'],
    [1_600, 'it has 1,600 columns, and a table can have at most 200'],
    [10_000, 'it has 10,000 columns, and a table can have at most 200'],
    [10_001, 'line 1: a row has more than 10,000 values'],
  ])('of %i columns is refused before its rows are read', async (width, message) => {
    const path = file(`${header(width)}\n${'1,'.repeat(width - 1)}1\n`)
    expect(await refusal(inspectCsvFile(path))).toBe(message)
    const columns = Array.from({ length: width }, (_, i) => ({
      name: `c${i}`,
      type: 'text' as const,
    }))
    expect(
      await refusal(importCsvFileAsTable(database, path, { ownerId, name: `W${width}`, columns })),
    ).toBe(message)
  })

  it('of 200 columns is imported', async () => {
    const path = file(`${header(200)}\n${'1,'.repeat(199)}1\n`)
    const inspection = await inspectCsvFile(path)
    expect(inspection.columns).toHaveLength(200)
    const { table, rows } = await importCsvFileAsTable(database, path, {
      ownerId,
      name: 'Wide',
      columns: inspection.columns,
    })
    expect(rows).toBe(1)
    expect(table.columns).toHaveLength(200)
  })
})

describe('values a column cannot hold', () => {
  it.each([
    [
      'json',
      '"\\u0000"',
      'line 2, column “V”: Must not contain \\u0000, which Postgres cannot store',
    ],
    [
      'json',
      '"\\ud83d"',
      'line 2, column “V”: Must not contain an unpaired surrogate (\\ud800–\\udfff)',
    ],
    ['decimal', '1'.repeat(1001), 'line 2, column “V”: Must have at most 1,000 digits'],
    [
      'url',
      `https://x.org/${'a'.repeat(2040)}`,
      'line 2, column “V”: Must be at most 2,048 characters',
    ],
  ] as const)('stop an import into %s: %s', async (type, value, message) => {
    const path = file(`v\n"${value.replaceAll('"', '""')}"\n`)
    const attempt = importCsvFileAsTable(database, path, {
      ownerId,
      name: `Odd ${++files}`,
      columns: [{ name: 'V', type }],
    })
    expect(await refusal(attempt)).toBe(message)
  })
})

describe('appending while the table changes', () => {
  it('refuses when a matched column was deleted meanwhile, and imports nothing', async () => {
    const table = await tableWithRows(database, ownerId, 'Moving', [
      { name: 'A', type: 'text' },
      { name: 'B', type: 'text' },
    ])
    await deleteColumn(database.db, table, table.columns[1]?.id ?? 0)
    const path = file('a,b\n1,2\n')
    expect(await refusal(appendCsvFile(database, table, path, table.columns))).toBe(
      'column “B”: this column was deleted while the file was being imported',
    )
    expect((await getTableById(database.db, table.id))?.rowCount).toBe(0)
  })

  it('refuses when the table was deleted meanwhile', async () => {
    const table = await tableWithRows(database, ownerId, 'Gone', [{ name: 'A', type: 'text' }])
    await deleteTable(database.db, table.id)
    expect(await refusal(appendCsvFile(database, table, file('a\n1\n'), table.columns))).toBe(
      'the table was deleted',
    )
  })
})
