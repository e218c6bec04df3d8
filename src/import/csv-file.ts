// Importing a CSV file: a first pass infers names and types, a second streams rows through COPY.
import { createReadStream } from 'node:fs'
import {
  type CsvRecord,
  createTypeInferrer,
  type InferredType,
  openCsv,
  suggestColumnNames,
} from '../csv/index.js'
import type { ColumnType } from '../datasource/column-types.js'
import { ImportError, importNewTable } from '../datasource/import.js'
import type { ColumnSpec, TableInfo } from '../datasource/types.js'
import type { Database } from '../db/database.js'

export interface CsvInspection {
  encoding: string
  delimiter: string
  header: string[]
  columns: { name: string; type: ColumnType }[]
  rowCount: number
}

const INFERRED_TO_COLUMN: Record<InferredType, ColumnType> = {
  integer: 'integer',
  decimal: 'decimal',
  boolean: 'boolean',
  date: 'date',
  datetime: 'datetime',
  text: 'text',
}

// Everything after the header row, checked for a consistent number of fields.
async function* dataRecords(records: AsyncIterable<CsvRecord>, width: number) {
  for await (const record of records) {
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

async function readHeader(records: AsyncGenerator<CsvRecord>): Promise<string[]> {
  const first = await records.next()
  if (first.done) throw new ImportError(null, null, 'the file is empty')
  return first.value.fields
}

export async function inspectCsvFile(path: string): Promise<CsvInspection> {
  const csv = await openCsv(createReadStream(path))
  const header = await readHeader(csv.records)
  const inferrer = createTypeInferrer(header.length)
  let rowCount = 0
  for await (const record of dataRecords(csv.records, header.length)) {
    inferrer.add(record.fields)
    rowCount++
  }
  const names = suggestColumnNames(header)
  const types = inferrer.result()
  return {
    encoding: csv.encoding,
    delimiter: csv.delimiter,
    header,
    columns: names.map((name, index) => ({
      name,
      type: INFERRED_TO_COLUMN[types[index] ?? 'text'],
    })),
    rowCount,
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
}

export async function importCsvFileAsTable(
  database: Database,
  path: string,
  options: CsvTableOptions,
): Promise<{ table: TableInfo; rows: number }> {
  const csv = await openCsv(createReadStream(path), { delimiter: options.delimiter })
  const header = await readHeader(csv.records)
  if (header.length !== options.columns.length) {
    throw new ImportError(
      1,
      null,
      `expected ${options.columns.length} columns but found ${header.length}`,
    )
  }
  return importNewTable(database, options, dataRecords(csv.records, header.length))
}
