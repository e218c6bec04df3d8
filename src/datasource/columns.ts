// Changing a table's columns: the catalog and the real table change in one transaction, or not at all.
import { sql } from 'kysely'
import type { Db } from '../db/database.js'
import { getTableById, toColumnInfo } from './catalog.js'
import { alterCheckingConstraints } from './column-constraints.js'
import { addColumnStatements, changeColumnStatements, dropColumnStatement } from './column-ddl.js'
import { ColumnChangeError, count } from './column-errors.js'
import { type ColumnChanges, changedColumnShape, newColumnShape } from './column-spec.js'
import { checkConversion, conversionExpression } from './conversion.js'
import { columnRef, tableRef } from './names.js'
import { columnSlugs, MAX_COLUMNS, touchTable } from './tables.js'
import type { ColumnInfo, ColumnSpec, TableInfo } from './types.js'

export {
  ColumnChangeError,
  ConstraintError,
  ConversionError,
  type ConversionSample,
} from './column-errors.js'
export type { ColumnChanges } from './column-spec.js'

// Locks the user table before the catalog row (the order row writes take), then reads both afresh.
async function openTable(trx: Db, tableId: number, lockData: boolean): Promise<TableInfo> {
  const exists = await trx.selectFrom('tables').select('id').where('id', '=', tableId).execute()
  if (exists.length === 0) throw new ColumnChangeError('No such table')
  if (lockData) {
    // Blocks row writes (not reads) until commit, so what was checked is what gets altered.
    await sql`lock table ${tableRef(tableId)} in share row exclusive mode`.execute(trx)
  }
  await trx.selectFrom('tables').select('id').where('id', '=', tableId).forUpdate().execute()
  return (await getTableById(trx, tableId)) as TableInfo
}

// columnSlugs gives one slug for each name.
const slugFor = (name: string, taken: ColumnInfo[]) =>
  columnSlugs(
    [name],
    taken.map((column) => column.slug),
  )[0] as string

function findColumn(table: TableInfo, columnId: number): ColumnInfo {
  const column = table.columns.find((candidate) => candidate.id === columnId)
  if (!column) throw new ColumnChangeError('No such column')
  return column
}

async function finish(trx: Db, tableId: number): Promise<TableInfo> {
  await touchTable(trx, tableId, null)
  return (await getTableById(trx, tableId)) as TableInfo
}

// Positions become 1..n in the given order; only columns whose position moved are written.
async function renumber(trx: Db, columns: ColumnInfo[]) {
  for (const [index, column] of columns.entries()) {
    if (column.position === index + 1) continue
    await trx
      .updateTable('columns')
      .set({ position: index + 1 })
      .where('id', '=', column.id)
      .execute()
  }
}

async function countRows(trx: Db, tableId: number): Promise<number> {
  const { rows } = await sql<{ n: string | number }>`
    select count(*) as n from ${tableRef(tableId)}
  `.execute(trx)
  return Number(rows[0]?.n)
}

export async function addColumn(db: Db, table: TableInfo, spec: ColumnSpec): Promise<TableInfo> {
  const shape = newColumnShape(spec)
  return db.transaction().execute(async (trx) => {
    const current = await openTable(trx, table.id, true)
    if (current.columns.length >= MAX_COLUMNS) {
      throw new ColumnChangeError(
        `A table can have at most ${MAX_COLUMNS} columns; delete one before adding another`,
      )
    }
    const rows = shape.required || shape.unique ? await countRows(trx, table.id) : 0
    if (shape.required && shape.defaultValue === null && rows > 0) {
      throw new ColumnChangeError(
        `${count(rows, 'row', 'rows')} would have no value; give a default value`,
        'defaultValue',
      )
    }
    if (shape.unique && shape.defaultValue !== null && rows > 1) {
      throw new ColumnChangeError(
        `${count(rows, 'row', 'rows')} would all get the default value, so it cannot be unique`,
        'unique',
      )
    }
    const slug = slugFor(shape.name, current.columns)
    const row = await trx
      .insertInto('columns')
      .values({
        table_id: table.id,
        name: shape.name,
        slug,
        position: (current.columns.at(-1)?.position ?? 0) + 1,
        type: shape.type,
        required: shape.required,
        is_unique: shape.unique,
        default_value: shape.defaultValue,
        choices: shape.choices ? JSON.stringify(shape.choices) : null,
      })
      .returningAll()
      .executeTakeFirstOrThrow()
    for (const statement of addColumnStatements(table.id, toColumnInfo(row))) {
      await statement.execute(trx)
    }
    return finish(trx, table.id)
  })
}

// Renames, retypes (converting every value, or none), and changes constraints, default and choices.
export async function updateColumn(
  db: Db,
  table: TableInfo,
  columnId: number,
  changes: ColumnChanges,
): Promise<TableInfo> {
  return db.transaction().execute(async (trx) => {
    const current = await openTable(trx, table.id, true)
    const column = findColumn(current, columnId)
    const shape = changedColumnShape(column, changes)
    const others = current.columns.filter((other) => other.id !== columnId)
    const slug = shape.name === column.name ? column.slug : slugFor(shape.name, others)
    const next: ColumnInfo = { ...shape, id: column.id, slug, position: column.position }
    const typeChanged = next.type !== column.type
    if (typeChanged) await checkConversion(trx, table.id, column, next)
    const value = typeChanged ? conversionExpression(column, next) : columnRef(column.id)
    const statements = changeColumnStatements(table.id, column, next, typeChanged ? value : null)
    if (statements.length) {
      await alterCheckingConstraints(trx, statements, {
        tableId: table.id,
        before: column,
        after: next,
        value,
      })
    }
    await trx
      .updateTable('columns')
      .set({
        name: next.name,
        slug: next.slug,
        type: next.type,
        required: next.required,
        is_unique: next.unique,
        default_value: next.defaultValue,
        choices: next.choices ? JSON.stringify(next.choices) : null,
      })
      .where('id', '=', columnId)
      .execute()
    return finish(trx, table.id)
  })
}

// Swaps a column with its neighbour; at either end nothing moves.
export async function moveColumn(
  db: Db,
  table: TableInfo,
  columnId: number,
  direction: 'up' | 'down',
): Promise<TableInfo> {
  return db.transaction().execute(async (trx) => {
    const current = await openTable(trx, table.id, false)
    const columns = [...current.columns]
    const index = columns.indexOf(findColumn(current, columnId))
    const other = direction === 'up' ? index - 1 : index + 1
    const [moving, neighbour] = [columns[index], columns[other]]
    if (moving && neighbour) [columns[index], columns[other]] = [neighbour, moving]
    await renumber(trx, columns)
    return finish(trx, table.id)
  })
}

export async function deleteColumn(db: Db, table: TableInfo, columnId: number): Promise<TableInfo> {
  return db.transaction().execute(async (trx) => {
    const current = await openTable(trx, table.id, true)
    findColumn(current, columnId)
    await dropColumnStatement(table.id, columnId).execute(trx)
    await trx.deleteFrom('columns').where('id', '=', columnId).execute()
    await renumber(
      trx,
      current.columns.filter((column) => column.id !== columnId),
    )
    return finish(trx, table.id)
  })
}
