import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ImportError } from '../datasource/import.js'
import type { Database } from '../db/database.js'
import { createTestDatabase } from '../test/database.js'
import { appendCsvFile, importCsvFileAsTable, inspectCsvFile } from './csv-file.js'

const dir = mkdtempSync(join(tmpdir(), 'csv-file-'))
const file = (name: string, text: string | Buffer) => {
  const path = join(dir, name)
  writeFileSync(path, text)
  return path
}

let database: Database
let ownerId: number
beforeAll(async () => {
  database = await createTestDatabase()
  ownerId = (
    await database.db
      .insertInto('users')
      .values({ username: 'csv' })
      .returning('id')
      .executeTakeFirstOrThrow()
  ).id
})
afterAll(() => database.close())

describe('inspectCsvFile', () => {
  it('infers names and types from every value, and Long text past 500 characters', async () => {
    const long = 'x'.repeat(501)
    const path = file(
      'types.csv',
      `name,count,when,notes\nAda,1,2017-06-08,short\nBob,2,2017-06-09,${long}\n`,
    )
    expect(await inspectCsvFile(path)).toMatchObject({
      encoding: 'utf-8',
      delimiter: ',',
      rowCount: 2,
      raggedCount: 0,
      columns: [
        { name: 'name', type: 'text' },
        { name: 'count', type: 'integer' },
        { name: 'when', type: 'date' },
        { name: 'notes', type: 'long_text' },
      ],
    })
  })

  it('reports ragged rows by line, and reads Latin-1 with semicolons', async () => {
    const path = file(
      'ragged.csv',
      Buffer.from('a;b\nYnys M\xf4n;1\n\nonly one\nx;y;z\n', 'latin1'),
    )
    const inspection = await inspectCsvFile(path)
    expect(inspection).toMatchObject({
      encoding: 'windows-1252',
      delimiter: ';',
      rowCount: 3,
      raggedCount: 2,
    })
    expect(inspection.ragged).toEqual([
      { line: 4, count: 1 },
      { line: 5, count: 3 },
    ])
  })

  it('refuses an empty file', async () => {
    await expect(inspectCsvFile(file('empty.csv', ''))).rejects.toThrow('the file is empty')
  })
})

describe('importing a file', () => {
  it('creates a table, then appends with a column mapping, all or nothing', async () => {
    const { table, rows } = await importCsvFileAsTable(
      database,
      file('people.csv', 'name,age\nAda,36\nBob,41\n'),
      {
        ownerId,
        name: 'People',
        columns: [
          { name: 'Name', type: 'text' },
          { name: 'Age', type: 'integer' },
        ],
      },
    )
    expect(rows).toBe(2)
    const progress: number[] = []
    const added = await appendCsvFile(
      database,
      table,
      file('more.csv', 'age,ignored\n50,x\n'),
      [table.columns[1] ?? null, null],
      {
        onProgress: (n) => progress.push(n),
      },
    )
    expect(added).toBe(1)
    const bad = appendCsvFile(database, table, file('bad.csv', 'age\n51\nold\n'), [
      table.columns[1] ?? null,
    ])
    await expect(bad).rejects.toThrow(new ImportError(3, 'Age', 'Must be a whole number'))
    const wrongWidth = appendCsvFile(database, table, file('wide.csv', 'a,b,c\n1,2,3\n'), [null])
    await expect(wrongWidth).rejects.toThrow('expected 1 columns but found 3')
    const count = await database.db
      .selectFrom('tables')
      .select('row_count')
      .where('id', '=', table.id)
      .executeTakeFirstOrThrow()
    expect(count.row_count).toBe(3)
  })

  it('refuses a file whose header does not match the reviewed columns', async () => {
    const attempt = importCsvFileAsTable(database, file('one.csv', 'a\n1\n'), {
      ownerId,
      name: 'Mismatch',
      columns: [
        { name: 'a', type: 'text' },
        { name: 'b', type: 'text' },
      ],
    })
    await expect(attempt).rejects.toThrow('expected 2 columns but found 1')
  })

  it('reports its progress every 10,000 rows', async () => {
    const rows = Array.from({ length: 20_005 }, (_, i) => `${i}\n`).join('')
    const progress: number[] = []
    const { rows: count } = await importCsvFileAsTable(database, file('many.csv', `n\n${rows}`), {
      ownerId,
      name: 'Many rows',
      columns: [{ name: 'n', type: 'integer' }],
      onProgress: (n) => progress.push(n),
    })
    expect(count).toBe(20_005)
    expect(progress).toEqual([10_000, 20_000])
  })
})
