// Importing a CSV file: a first pass infers names and types, a second streams rows through COPY.
import { createReadStream } from 'node:fs'
import {
  type CsvRecord,
  createTypeInferrer,
  type InferredType,
  openCsv,
  suggestColumnNames,
} from '../csv/index.js'
import { type ColumnType, definitionOf } from '../datasource/column-types.js'
import {
  appendRecords,
  ImportError,
  importNewTable,
  type NewTableImport,
  readableRecords,
} from '../datasource/import.js'
import { MAX_COLUMNS } from '../datasource/tables.js'
import type { ColumnInfo, ColumnSpec, TableInfo } from '../datasource/types.js'
import type { Database } from '../db/database.js'

export interface CsvInspection {
  encoding: string
  delimiter: string
  header: string[]
  columns: { name: string; type: ColumnType }[]
  rowCount: number
  ragged: { line: number; count: number }[]
  raggedCount: number
}

const INFERRED_TO_COLUMN: Record<InferredType, ColumnType> = {
  integer: 'integer',
  decimal: 'decimal',
  boolean: 'boolean',
  date: 'date',
  datetime: 'datetime',
  text: 'text',
}

export type ProgressListener = (rows: number) => void

// Everything after the header row, checked for a consistent number of fields.
async function* dataRecords(
  records: AsyncIterable<CsvRecord>,
  width: number,
  onProgress?: ProgressListener,
) {
  let rows = 0
  for await (const record of readableRecords(records)) {
    if (onProgress && ++rows % 10_000 === 0) onProgress(rows)
    if (record.fields.length !== width) {
      throw new ImportError(
        record.line,
        null,
        `expected ${width} values but found ${record.fields.length}`,
      )
    }
    yield record
  }
}

// The header row; a file wider than a table can be is refused before the rest is read.
async function readHeader(records: AsyncGenerator<CsvRecord>): Promise<string[]> {
  const first = await readableRecords(records).next()
  if (first.done) throw new ImportError(null, null, 'the file is empty')
  const width = first.value.fields.length
  if (width > MAX_COLUMNS) {
    await records.return(undefined)
    throw new ImportError(
      null,
      null,
      `it has ${width.toLocaleString('en-GB')} columns, and a table can have at most ${MAX_COLUMNS}`,
    )
  }
  return first.value.fields
}

const MAX_REPORTED = 10

export async function inspectCsvFile(path: string, delimiter?: string): Promise<CsvInspection> {
  const csv = await openCsv(createReadStream(path), { delimiter })
  const header = await readHeader(csv.records)
  const inferrer = createTypeInferrer(header.length)
  const longest = header.map(() => 0)
  const ragged: CsvInspection['ragged'] = []
  let raggedCount = 0
  let rowCount = 0
  for await (const record of readableRecords(csv.records)) {
    rowCount++
    // Ragged rows are reported, not guessed at: the import refuses them with their line numbers.
    if (record.fields.length !== header.length) {
      raggedCount++
      if (ragged.length < MAX_REPORTED)
        ragged.push({ line: record.line, count: record.fields.length })
    } else {
      inferrer.add(record.fields)
      record.fields.forEach((field, index) => {
        if (field.length > (longest[index] ?? 0)) longest[index] = field.length
      })
    }
  }
  const names = suggestColumnNames(header)
  const types = inferrer.result()
  return {
    encoding: csv.encoding,
    delimiter: csv.delimiter,
    header,
    columns: names.map((name, index) => {
      const type = INFERRED_TO_COLUMN[types[index] ?? 'text']
      // Text holds up to 500 characters; longer values make the column Long text.
      const long = type === 'text' && (longest[index] ?? 0) > (definitionOf('text').maxLength ?? 0)
      return { name, type: long ? 'long_text' : type }
    }),
    rowCount,
    ragged,
    raggedCount,
  }
}

export interface CsvTableOptions {
  ownerId: number
  name: string
  description?: string
  isPublic?: boolean
  // Reviewed names and types, one per CSV column, in file order.
  columns: ColumnSpec[]
  delimiter?: string
  onProgress?: ProgressListener
}

export async function importCsvFileAsTable(
  database: Database,
  path: string,
  options: CsvTableOptions,
): Promise<NewTableImport> {
  const csv = await openCsv(createReadStream(path), { delimiter: options.delimiter })
  const header = await readHeader(csv.records)
  if (header.length !== options.columns.length) {
    throw new ImportError(
      1,
      null,
      `expected ${options.columns.length} columns but found ${header.length}`,
    )
  }
  return importNewTable(
    database,
    options,
    dataRecords(csv.records, header.length, options.onProgress),
  )
}

// Appends a file's rows to an existing table: `targets[i]` receives CSV column i (null skips it).
export async function appendCsvFile(
  database: Database,
  table: TableInfo,
  path: string,
  targets: (ColumnInfo | null)[],
  options: { delimiter?: string; onProgress?: ProgressListener } = {},
): Promise<number> {
  const csv = await openCsv(createReadStream(path), { delimiter: options.delimiter })
  const header = await readHeader(csv.records)
  if (header.length !== targets.length) {
    throw new ImportError(1, null, `expected ${targets.length} columns but found ${header.length}`)
  }
  return appendRecords(
    database,
    table,
    dataRecords(csv.records, header.length, options.onProgress),
    targets,
  )
}

// Appends CSV from any stream of bytes (an API request's body, say): `match` places each header
// on a column, or throws for one it cannot place, before any row is read.
export async function appendCsvStream(
  database: Database,
  table: TableInfo,
  source: AsyncIterable<Uint8Array>,
  match: (header: string[]) => (ColumnInfo | null)[],
): Promise<number> {
  const csv = await openCsv(source)
  const header = await readHeader(csv.records)
  const targets = match(header)
  return appendRecords(database, table, dataRecords(csv.records, header.length), targets)
}
