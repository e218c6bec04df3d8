// Changing a column's type: which values convert, and the USING expression, both by parseValue's rules.
import { type RawBuilder, sql } from 'kysely'
import type { Db } from '../db/database.js'
import { ConversionError, type ConversionSample, shorten } from './column-errors.js'
import { blankSql, checkableInSql, convertedSql, refusedSql, sourceOf } from './column-rules.js'
import { type ColumnType, definitionOf, parseValue, selectAsText } from './column-types.js'
import { columnRef, tableRef } from './names.js'
import type { ColumnInfo } from './types.js'

const MAX_SAMPLES = 5
const PARSE_BATCH_ROWS = 5000
// A batch also stops once it holds this much text, so long values never pile up in memory.
const PARSE_BATCH_BYTES = 16 << 20

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
  const { failures, samples } = checkableInSql(to.type)
    ? await sqlFailures(trx, tableId, from, to.type, to.choices)
    : await parseFailures(trx, tableId, from, to)
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
  type: ColumnType,
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

// Types with no SQL twin (JSON: Postgres 15 cannot test it without raising an error) go through
// parseValue itself, a batch of rows at a time.
async function parseFailures(
  trx: Db,
  tableId: number,
  from: ColumnInfo,
  to: { type: ColumnType; choices: readonly string[] | null },
): Promise<Failures> {
  const source = sourceOfColumn(from)
  const max = sql.lit(definitionOf(to.type).maxLength ?? 2 ** 30)
  const result: Failures = { failures: 0, samples: [] }
  let after = 0
  while (true) {
    // Text over the type's limit is refused without being read; the rest comes in batches.
    const { rows } = await sql<{ id: string | number; value: string | null; sample: string }>`
      select id, value, sample from (
        select id, case when char_length(${source.text}) <= ${max} then ${source.text} end as value,
          left(${source.text}, 101) as sample,
          sum(octet_length(${source.text})) over (order by id) - octet_length(${source.text}) as before
        from ${tableRef(tableId)}
        where id > ${after} and not ${blankSql(source)} order by id limit ${PARSE_BATCH_ROWS}
      ) as batch where before < ${sql.lit(PARSE_BATCH_BYTES)} order by id
    `.execute(trx)
    for (const row of rows) {
      if (row.value !== null && parseValue(to.type, row.value, to.choices).ok) continue
      result.failures++
      if (result.samples.length < MAX_SAMPLES) {
        result.samples.push({ rowId: Number(row.id), value: shorten(row.sample) })
      }
    }
    const last = rows.at(-1)
    if (!last) return result
    after = Number(last.id)
  }
}
