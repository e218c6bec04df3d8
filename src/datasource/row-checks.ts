// Checks a row write makes in the database before writing: values another row holds in a unique
// column, and Postgres's own refusals traced back to the row and field that caused them.
import { type RawBuilder, sql } from 'kysely'
import type { Db } from '../db/database.js'
import { definitionOf } from './column-types.js'
import { mapWriteError, UNIQUE_MESSAGE } from './db-errors.js'
import { columnRef, tableRef } from './names.js'
import { type FieldErrors, ROW_ERROR, type RowValues } from './row-schema.js'
import type { ColumnInfo, TableInfo } from './types.js'

// Errors by row, in the order the rows were given; `index` null when no one row is to blame.
export type RowErrors = { index: number | null; errors: FieldErrors }[]

// Values are sent as text and cast to the column's type, the same way on both drivers (PGlite
// would otherwise type the parameter itself and refuse 'true' for a boolean).
export const typed = (column: ColumnInfo, value: RawBuilder<unknown> | string | null) =>
  sql`${value}::text::${sql.raw(definitionOf(column.type).postgres)}`

// The friendly check before writing: a value another row holds, or that two of `rows` share.
// The unique index still has the last word in a race. `exceptId` is the row being updated.
export async function uniqueErrors(
  trx: Db,
  table: TableInfo,
  rows: RowValues[],
  exceptId: number | null,
): Promise<Map<number, FieldErrors>> {
  const found = new Map<number, FieldErrors>()
  for (const column of table.columns) {
    if (!column.unique) continue
    const values = rows.map((row) => row[column.slug] ?? null)
    if (values.every((value) => value === null)) continue
    const value = typed(column, sql.ref('u.a'))
    const others = exceptId === null ? sql`true` : sql`id <> ${exceptId}`
    const { rows: clashes } = await sql<{ n: number | string }>`
      select n from (
        select u.n, count(*) over (partition by ${value}) as repeats, exists (
          select from ${tableRef(table.id)} where ${columnRef(column.id)} = ${value} and ${others}
        ) as taken
        from unnest(${values}::text[]) with ordinality as u (a, n) where u.a is not null
      ) as checked where repeats > 1 or taken
    `.execute(trx)
    for (const { n } of clashes) {
      const index = Number(n) - 1
      found.set(index, { ...found.get(index), [column.slug]: UNIQUE_MESSAGE })
    }
  }
  return found
}

// The row among `rows` that Postgres's refusal names (by the value it quotes), if one can be told.
function blamedRow(error: unknown, rows: RowValues[], errors: FieldErrors): number | null {
  if (rows.length === 1) return 0
  const [slug] = Object.keys(errors)
  const { message = '', detail = '', code } = error as Record<string, string | undefined>
  if (!slug || slug === ROW_ERROR) return null
  const index = rows.findIndex((row) => {
    const value = row[slug]
    if (code === '23502') return value === null
    return value && (detail.includes(`=(${value})`) || message.includes(`"${value}"`))
  })
  return index === -1 ? null : index
}

// Field messages for a refused write of `rows`; errors that are not the rows' fault are rethrown.
export function mapRowsError(error: unknown, table: TableInfo, rows: RowValues[]): RowErrors {
  const errors = mapWriteError(error, table, rows.length === 1 ? (rows[0] ?? {}) : {})
  return [{ index: blamedRow(error, rows, errors), errors }]
}
