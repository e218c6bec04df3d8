// ALTER TABLE statements for one column of a user table, built from catalog ids and our own types.
import { type RawBuilder, sql } from 'kysely'
import { definitionOf } from './column-types.js'
import { checkExpression, columnDefinition, dropIndexStatements, indexStatements } from './ddl.js'
import { columnRef, objectName, tableRef } from './names.js'
import type { ColumnInfo } from './types.js'

// Postgres keeps an added column's default for the rows already there in pg_attribute (even when
// there are none), which cannot hold a value beyond about 8 kB ("row is too big"); past this many
// bytes the default is set after the column is added, and written into the rows instead.
const LONG_DEFAULT_BYTES = 2000

export const isLongDefault = (value: string | null) =>
  value !== null && Buffer.byteLength(value) > LONG_DEFAULT_BYTES

// `fillRows`: the default is long, so it is set after the column is added and written into each
// row; constraints come once every row has its value.
export function addColumnStatements(
  tableId: number,
  column: ColumnInfo,
  options = { fillRows: false },
): RawBuilder<unknown>[] {
  const add = (definition: ColumnInfo) =>
    sql`alter table ${tableRef(tableId)} add column ${columnDefinition(tableId, definition)}`
  if (!options.fillRows || column.defaultValue === null) {
    return [add(column), ...indexStatements(tableId, column)]
  }
  const plain = { ...column, required: false, unique: false, defaultValue: null }
  const filled = { ...plain, defaultValue: column.defaultValue }
  const statements = [
    add(plain),
    alterColumnStatement(tableId, plain, filled, null),
    sql`update ${tableRef(tableId)} set ${columnRef(column.id)} = default`,
    alterColumnStatement(tableId, filled, column, null),
    ...indexStatements(tableId, column),
  ]
  return statements.filter((statement): statement is RawBuilder<unknown> => statement !== null)
}

export function dropColumnStatement(tableId: number, columnId: number): RawBuilder<unknown> {
  return sql`alter table ${tableRef(tableId)} drop column ${columnRef(columnId)}`
}

const sameChoices = (a: string[] | null, b: string[] | null) =>
  JSON.stringify(a ?? []) === JSON.stringify(b ?? [])

// One statement, so a type change rewrites the table once and checks the new constraints as it goes.
// `using` is the conversion expression when the type changes, else null.
function alterColumnStatement(
  tableId: number,
  before: ColumnInfo,
  after: ColumnInfo,
  using: RawBuilder<unknown> | null,
): RawBuilder<unknown> | null {
  const column = columnRef(after.id)
  const pgType = sql.raw(definitionOf(after.type).postgres)
  const keyName = sql.id(objectName('key', tableId, after.id))
  const checkName = sql.id(objectName('check', tableId, after.id))
  const checkChanged = using !== null || !sameChoices(before.choices, after.choices)
  const oldCheck = checkChanged ? checkExpression(before) : null
  const newCheck = checkChanged ? checkExpression(after) : null
  const actions: RawBuilder<unknown>[] = []

  // An old default or CHECK may not fit the new type, so they go before it changes.
  if (using && before.defaultValue !== null) actions.push(sql`alter column ${column} drop default`)
  if (oldCheck) actions.push(sql`drop constraint if exists ${checkName}`)
  if (before.unique && !after.unique) actions.push(sql`drop constraint if exists ${keyName}`)
  if (using) actions.push(sql`alter column ${column} type ${pgType} using ${using}`)
  if (using ? after.defaultValue !== null : after.defaultValue !== before.defaultValue) {
    actions.push(
      after.defaultValue === null
        ? sql`alter column ${column} drop default`
        : sql`alter column ${column} set default ${sql.lit(after.defaultValue)}::${pgType}`,
    )
  }
  if (after.required !== before.required) {
    actions.push(sql`alter column ${column} ${sql.raw(after.required ? 'set' : 'drop')} not null`)
  }
  if (newCheck) actions.push(sql`add constraint ${checkName} check (${newCheck})`)
  if (after.unique && !before.unique)
    actions.push(sql`add constraint ${keyName} unique (${column})`)

  return actions.length ? sql`alter table ${tableRef(tableId)} ${sql.join(actions)}` : null
}

// Everything a column change runs, in order. A new type may want other indexes (no trigram index on
// a number), so they are dropped before the type changes and made again after.
export function changeColumnStatements(
  tableId: number,
  before: ColumnInfo,
  after: ColumnInfo,
  using: RawBuilder<unknown> | null,
): RawBuilder<unknown>[] {
  const alter = alterColumnStatement(tableId, before, after, using)
  if (!using) return alter ? [alter] : []
  return [
    // As for an import: building indexes over many rows goes faster with more memory.
    sql`set local maintenance_work_mem = '128MB'`,
    ...dropIndexStatements(tableId, after.id),
    alter as RawBuilder<unknown>,
    ...indexStatements(tableId, after),
  ]
}
