// Before a constraint is added, find the rows that would break it, so the refusal can name them.
import { type RawBuilder, sql } from 'kysely'
import type { Db } from '../db/database.js'
import {
  ColumnChangeError,
  ConstraintError,
  count,
  MAX_ROW_IDS,
  rowList,
  shorten,
} from './column-errors.js'
import { selectAsText } from './column-types.js'
import { tableRef } from './names.js'
import type { ColumnInfo } from './types.js'

type IdRow = { id: string | number; value: string | null; total: string | number }

// The first rows matching `condition` on the column's new `value`, and how many there are.
async function offendingRows(
  trx: Db,
  tableId: number,
  value: RawBuilder<unknown>,
  condition: (v: RawBuilder<unknown>) => RawBuilder<unknown>,
  after: ColumnInfo,
): Promise<IdRow[]> {
  const v = sql.id('v')
  const { rows } = await sql<IdRow>`
    select id, ${selectAsText(after.type, v)} as value, count(*) over () as total
    from (select id, ${value} as v from ${tableRef(tableId)}) as s
    where ${condition(v)} order by id limit ${MAX_ROW_IDS}
  `.execute(trx)
  return rows
}

// `message` gets the number of rows, their list, and the first row's value.
type Message = (n: number, list: string, value: string) => string

function refuse(rows: IdRow[], field: string, message: Message) {
  const first = rows[0]
  if (!first) return
  const ids = rows.map((row) => Number(row.id))
  const total = Number(first.total)
  const value = shorten(first.value ?? '')
  throw new ConstraintError(message(total, rowList(ids, total), value), ids, field)
}

async function checkRequired(
  trx: Db,
  tableId: number,
  value: RawBuilder<unknown>,
  after: ColumnInfo,
) {
  const rows = await offendingRows(trx, tableId, value, (v) => sql`${v} is null`, after)
  refuse(rows, 'required', (n, list) => `${count(n, 'row has', 'rows have')} no value: ${list}`)
}

async function checkChoices(
  trx: Db,
  tableId: number,
  value: RawBuilder<unknown>,
  after: ColumnInfo,
  choices: string[],
) {
  const notAChoice = (v: RawBuilder<unknown>) => sql`${v} not in (${sql.join(choices)})`
  const rows = await offendingRows(trx, tableId, value, notAChoice, after)
  refuse(
    rows,
    'choices',
    (n, list, value) =>
      `${count(n, 'row has a value', 'rows have values')} not among the choices, e.g. “${value}”: ${list}`,
  )
}

// The first repeated value (by the lowest row id that holds it) and the rows that hold it.
async function checkUnique(
  trx: Db,
  tableId: number,
  value: RawBuilder<unknown>,
  after: ColumnInfo,
) {
  const values = sql`(select id, ${value} as v from ${tableRef(tableId)}) as s`
  const repeated = sql`(select v from ${values} where v is not null
    group by v having count(*) > 1 order by min(id) limit 1)`
  const rows = await offendingRows(trx, tableId, value, (v) => sql`${v} = ${repeated}`, after)
  refuse(rows, 'unique', (_, list, value) => `“${value}” is repeated in ${list}`)
}

// `value` is the column's value after the change (the conversion expression when the type changes).
async function checkConstraints(
  trx: Db,
  tableId: number,
  before: ColumnInfo,
  after: ColumnInfo,
  value: RawBuilder<unknown>,
): Promise<void> {
  const typeChanged = before.type !== after.type
  const kept = new Set(after.choices)
  const dropped = (before.choices ?? []).some((choice) => !kept.has(choice))
  if (after.type === 'choice' && !typeChanged && dropped) {
    await checkChoices(trx, tableId, value, after, [...kept])
  }
  if (after.required && (typeChanged || !before.required)) {
    await checkRequired(trx, tableId, value, after)
  }
  if (after.unique && (typeChanged || !before.unique)) {
    await checkUnique(trx, tableId, value, after)
  }
}

// A B-tree index cannot hold a value longer than about 2,700 bytes (program_limit_exceeded).
const TOO_LONG_TO_INDEX = '54000'

// Runs the DDL and lets Postgres check the new constraints as it goes: no scan beforehand. Only
// if it refuses are the rows at fault looked for, after rolling back to before the DDL.
export async function alterCheckingConstraints(
  trx: Db,
  statements: RawBuilder<unknown>[],
  change: { tableId: number; before: ColumnInfo; after: ColumnInfo; value: RawBuilder<unknown> },
): Promise<void> {
  await sql`savepoint column_change`.execute(trx)
  try {
    for (const statement of statements) await statement.execute(trx)
  } catch (error) {
    await sql`rollback to savepoint column_change`.execute(trx)
    await checkConstraints(trx, change.tableId, change.before, change.after, change.value)
    if ((error as { code?: string }).code === TOO_LONG_TO_INDEX) {
      const field = change.after.unique && !change.before.unique ? 'unique' : 'type'
      throw new ColumnChangeError(
        'Some values are too long to index (over about 2,700 bytes)',
        field,
      )
    }
    throw error
  }
  await sql`release savepoint column_change`.execute(trx)
}
