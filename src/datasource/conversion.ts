// Changing a column's type: which values convert, and the USING expression, both by parseValue's rules.
import { type RawBuilder, sql } from 'kysely'
import type { Db } from '../db/database.js'
import { ConversionError, type ConversionSample, shorten } from './column-errors.js'
import { blankSql, convertedSql, refusedSql, sourceOf, storableJson } from './column-rules.js'
import { type ColumnType, parseValue, selectAsText } from './column-types.js'
import { columnRef, tableRef } from './names.js'
import type { ColumnInfo } from './types.js'

const MAX_SAMPLES = 5
const JSON_BATCH_ROWS = 5000

// What parseValue would be given for each row: the old value as the old type shows it.
const sourceText = (column: ColumnInfo) => selectAsText(column.type, columnRef(column.id))
const sourceOfColumn = (column: ColumnInfo) => sourceOf(column.type, sourceText(column))

// The new value of each row, as a USING expression; only valid once checkConversion has passed.
export function conversionExpression(
  from: ColumnInfo,
  to: { type: ColumnType },
): RawBuilder<unknown> {
  return convertedSql(to.type, sourceOfColumn(from))
}

// Throws ConversionError, with a count and the first few rows, unless every value converts.
export async function checkConversion(
  trx: Db,
  tableId: number,
  from: ColumnInfo,
  to: { type: ColumnType; choices: readonly string[] | null },
): Promise<void> {
  const { failures, samples } =
    to.type === 'json'
      ? await jsonFailures(trx, tableId, from)
      : await sqlFailures(trx, tableId, from, to.type, to.choices)
  if (failures > 0) throw new ConversionError(to.type, failures, samples)
}

interface Failures {
  failures: number
  samples: ConversionSample[]
}

// Regular expressions that mirror parseValue: one scan when every value converts.
async function sqlFailures(
  trx: Db,
  tableId: number,
  from: ColumnInfo,
  type: Exclude<ColumnType, 'json'>,
  choices: readonly string[] | null,
): Promise<Failures> {
  const source = sourceOfColumn(from)
  const refs = { text: sql.ref('s'), trimmed: sql.ref('t') }
  // offset 0 keeps Postgres from inlining the subquery, so each row's text is made only once.
  const refused = sql`(select id, ${source.text} as s, ${source.trimmed} as t
    from ${tableRef(tableId)} offset 0) as x where ${refusedSql(type, refs, choices)}`
  const counted = await sql<{ count: string | number }>`
    select count(*) as count from ${refused}
  `.execute(trx)
  const failures = Number(counted.rows[0]?.count)
  if (failures === 0) return { failures, samples: [] }
  const { rows } = await sql<{ id: string | number; value: string }>`
    select id, left(s, 101) as value from ${refused} order by id limit ${MAX_SAMPLES}
  `.execute(trx)
  return {
    failures,
    samples: rows.map((row) => ({ rowId: Number(row.id), value: shorten(row.value) })),
  }
}

// Postgres 15 cannot test JSON without raising an error, so these values go through parseValue.
async function jsonFailures(trx: Db, tableId: number, from: ColumnInfo): Promise<Failures> {
  const source = sourceOfColumn(from)
  const result: Failures = { failures: 0, samples: [] }
  let after = 0
  while (true) {
    const { rows } = await sql<{ id: string | number; value: string }>`
      select id, ${source.text} as value from ${tableRef(tableId)}
      where id > ${after} and not ${blankSql(source)} order by id limit ${JSON_BATCH_ROWS}
    `.execute(trx)
    for (const row of rows) {
      const parsed = parseValue('json', row.value)
      if (parsed.ok && storableJson(parsed.value)) continue
      result.failures++
      if (result.samples.length < MAX_SAMPLES) {
        result.samples.push({ rowId: Number(row.id), value: shorten(row.value) })
      }
    }
    const last = rows.at(-1)
    if (!last || rows.length < JSON_BATCH_ROWS) return result
    after = Number(last.id)
  }
}
