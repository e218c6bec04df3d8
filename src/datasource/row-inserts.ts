// Inserting rows, one or up to a thousand at once: validated against the columns as they are when
// the write holds its lock, all or nothing, in one INSERT, the catalog's row count kept in step.
import { sql } from 'kysely'
import type { Db } from '../db/database.js'
import { cellColumns } from './column-type/link.js'
import { definitionOf } from './column-types.js'
import { checkLinkLists, writeLinkLists } from './link-lists.js'
import { columnRef, tableRef } from './names.js'
import { currentColumns } from './read-columns.js'
import { mapRowsError, type RowErrors, uniqueErrors } from './row-checks.js'
import {
  type FieldErrors,
  ROW_ERROR,
  type RowInputOptions,
  type RowValues,
  rowSchema,
  validateRow,
} from './row-schema.js'
import { type RawRow, selectList, toRow } from './rows.js'
import {
  BUSY_MESSAGE,
  confirmGone,
  isRetryable,
  lockForRowWrites,
  retryingRaces,
  TableGoneError,
} from './table-locks.js'
import { touchTable } from './tables.js'
import type { Row, TableInfo } from './types.js'

export const MAX_BULK_INSERT = 1000

export type WriteResult = { ok: true; row: Row } | { ok: false; errors: FieldErrors }
export type BulkWriteResult = { ok: true; rows: Row[] } | { ok: false; errors: RowErrors }

const refusal = (message: string): BulkWriteResult => ({
  ok: false,
  errors: [{ index: null, errors: { [ROW_ERROR]: message } }],
})

// One INSERT … SELECT FROM unnest(one text array per column): a thousand rows are one statement
// with as many parameters as columns. Rows come back (aligned to `reader`'s columns) in order.
async function insertValues(
  trx: Db,
  current: TableInfo,
  reader: TableInfo,
  rows: RowValues[],
): Promise<Row[]> {
  const columns = cellColumns(current.columns)
  const arrays = columns.map((column) => rows.map((row) => row[column.slug] ?? null))
  const casts = columns.map(
    (column, index) =>
      sql`${sql.ref(`u.a${index}`)}::${sql.raw(definitionOf(column.type).postgres)}`,
  )
  const source = columns.length
    ? sql`(${sql.join(columns.map((column) => columnRef(column.id)))})
        select ${sql.join(casts)}
        from unnest(${sql.join(arrays.map((values) => sql`${values}::text[]`))})
          with ordinality as u (${sql.join(columns.map((_, index) => sql.id(`a${index}`)))}, n)
        order by u.n`
    : sql`(_version) select 1 from generate_series(1, ${rows.length})`
  const readColumns = currentColumns(reader, current)
  const { rows: inserted } = await sql<RawRow>`
    insert into ${tableRef(current.id)} ${source} returning ${selectList(readColumns)}
  `.execute(trx)
  await touchTable(trx, current.id, inserted.length)
  // Ids are drawn in the order the rows were given, so sorted by id they line up with `rows`.
  const written = inserted.map((raw) => toRow(readColumns, raw)).sort((a, b) => a.id - b.id)
  await writeLinkLists(
    trx,
    current,
    written.map((row, index) => ({ id: row.id, values: rows[index] ?? {} })),
  )
  return written
}

type Checked = { ok: true; values: RowValues[] } | { ok: false; errors: RowErrors }

// A blank value takes the column default, which the catalog holds as parsed text; filled in
// before the uniqueness check, so two new rows given one default clash there.
const withDefaults = (table: TableInfo, rows: RowValues[]): RowValues[] =>
  rows.map((row) =>
    Object.fromEntries(
      table.columns.map((column) => [column.slug, row[column.slug] ?? column.defaultValue]),
    ),
  )

function validateAll(table: TableInfo, inputs: unknown[], options: RowInputOptions): Checked {
  const schema = rowSchema(table, { ...options, partial: false, insert: true })
  const values: RowValues[] = []
  const errors: RowErrors = []
  inputs.forEach((input, index) => {
    const checked = validateRow(table, input, { ...options, insert: true }, schema)
    if (checked.ok) values.push(checked.values)
    else errors.push({ index, errors: checked.errors })
  })
  return errors.length ? { ok: false, errors } : { ok: true, values }
}

// `check` false skips validation and the uniqueness pre-check (values must already be parsed).
async function insertChecked(
  db: Db,
  table: TableInfo,
  inputs: unknown[],
  options: RowInputOptions,
  check: boolean,
): Promise<BulkWriteResult> {
  let current: TableInfo = table
  let values: RowValues[] = []
  try {
    return await retryingRaces(() =>
      db.transaction().execute(async (trx): Promise<BulkWriteResult> => {
        current = await lockForRowWrites(trx, table.id)
        const checked: Checked = check
          ? validateAll(current, inputs, options)
          : { ok: true, values: inputs as RowValues[] }
        if (!checked.ok) return checked
        values = withDefaults(current, checked.values)
        const clashes = check ? await uniqueErrors(trx, current, values, null) : new Map()
        for (const [index, fields] of await checkLinkLists(trx, current, values)) {
          clashes.set(index, { ...clashes.get(index), ...fields })
        }
        if (clashes.size > 0) {
          const errors = [...clashes].map(([index, fields]) => ({ index, errors: fields }))
          return { ok: false, errors: errors.sort((a, b) => a.index - b.index) }
        }
        return { ok: true, rows: await insertValues(trx, current, table, values) }
      }),
    )
  } catch (error) {
    if (error instanceof TableGoneError) {
      await confirmGone(db, error)
      return refusal(error.message)
    }
    if (isRetryable(error)) return refusal(BUSY_MESSAGE)
    // A refused write rolled its transaction back; the refusal comes back as field errors.
    return { ok: false, errors: mapRowsError(error, current, values) }
  }
}

// Up to MAX_BULK_INSERT rows, all or nothing; the errors name each row at fault by its index.
export async function insertRows(
  db: Db,
  table: TableInfo,
  inputs: unknown[],
  options: Omit<RowInputOptions, 'partial' | 'insert'> = {},
): Promise<BulkWriteResult> {
  if (inputs.length === 0) return refusal('Give at least one row')
  if (inputs.length > MAX_BULK_INSERT) {
    return refusal(`At most ${MAX_BULK_INSERT.toLocaleString('en-GB')} rows can be added at once`)
  }
  return insertChecked(db, table, inputs, options, true)
}

// Row-level messages (a table gone, a busy table) join the row's own under ROW_ERROR.
function oneRow(result: BulkWriteResult): WriteResult {
  if (result.ok) return { ok: true, row: result.rows[0] as Row }
  return { ok: false, errors: Object.assign({}, ...result.errors.map((entry) => entry.errors)) }
}

export async function insertRow(
  db: Db,
  table: TableInfo,
  input: unknown,
  options: Omit<RowInputOptions, 'partial' | 'insert'> = {},
): Promise<WriteResult> {
  return oneRow(await insertChecked(db, table, [input], options, true))
}

// Inserts values already validated, without the uniqueness pre-check: what a writer that lost a
// race meets. insertRow(s) is the one to call; these stay exported to prove races end kindly.
export async function writeRows(
  db: Db,
  table: TableInfo,
  values: RowValues[],
): Promise<BulkWriteResult> {
  return insertChecked(db, table, values, {}, false)
}

export async function writeRow(db: Db, table: TableInfo, values: RowValues): Promise<WriteResult> {
  return oneRow(await writeRows(db, table, [values]))
}
