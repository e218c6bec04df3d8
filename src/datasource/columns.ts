// Changing a table's columns: the catalog and the real table change in one transaction, or not at all.
import { sql } from 'kysely'
import type { Db } from '../db/database.js'
import { getTableById, toColumnInfo } from './catalog.js'
import { alterCheckingConstraints } from './column-constraints.js'
import {
  addColumnStatements,
  changeColumnStatements,
  dropColumnStatement,
  isLongDefault,
} from './column-ddl.js'
import { ColumnChangeError, count } from './column-errors.js'
import { type ColumnChanges, changedColumnShape, newColumnShape } from './column-spec.js'
import { checkConversion, conversionExpression } from './conversion.js'
import { isFileType, queueColumnFiles, syncFileTrigger } from './file-cells.js'
import { waitForIndexBuilds } from './indexes.js'
import { createJunctionStatements, dropJunctionStatement, isLinkList } from './link-lists.js'
import { linkCatalogValues, lockDisplayColumn, lockLinkTarget } from './links.js'
import { columnRef, tableRef } from './names.js'
import {
  confirmGone,
  isRetryable,
  lockForColumnChange,
  retryingRaces,
  TableGoneError,
} from './table-locks.js'
import { columnSlugs, MAX_COLUMNS, touchTable } from './tables.js'
import type { ColumnInfo, ColumnSpec, TableInfo } from './types.js'

export {
  ColumnChangeError,
  ConstraintError,
  ConversionError,
  type ConversionSample,
} from './column-errors.js'
export type { ColumnChanges } from './column-spec.js'

const LOCK_NOT_AVAILABLE = '55P03'

// Waiting longer than this for a lock (behind a long export, say) refuses the change instead:
// meanwhile every read and write of the table would queue behind it.
const LOCK_TIMEOUT = '10s'

// Each change is one transaction that first locks the user table, then its catalog row (the order
// row writes take), and reads both afresh. Races Postgres breaks off are retried; the loser of one
// that goes on, or a table that went, gets a message.
async function changeColumns(
  db: Db,
  tableId: number,
  lockData: boolean,
  change: (trx: Db, current: TableInfo) => Promise<TableInfo>,
): Promise<TableInfo> {
  if (lockData) await waitForIndexBuilds(db, tableId)
  try {
    return await retryingRaces(() =>
      db.transaction().execute(async (trx) => {
        await sql`set local lock_timeout = ${sql.lit(LOCK_TIMEOUT)}`.execute(trx)
        return change(trx, await lockForColumnChange(trx, tableId, lockData))
      }),
    )
  } catch (error) {
    if (error instanceof TableGoneError) {
      await confirmGone(db, error)
      throw new ColumnChangeError('No such table')
    }
    const code = (error as { code?: string }).code
    if (isRetryable(error) || code === LOCK_NOT_AVAILABLE) {
      throw new ColumnChangeError(
        'The table is busy (a long export or import, or other changes), so nothing was changed: try again in a moment',
      )
    }
    throw error
  }
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
  return changeColumns(db, table.id, true, async (trx, current) => {
    if (current.columns.length >= MAX_COLUMNS) {
      throw new ColumnChangeError(
        `A table can have at most ${MAX_COLUMNS} columns; delete one before adding another`,
      )
    }
    const rows = shape.required || shape.unique ? await countRows(trx, table.id) : 0
    if (shape.required && shape.link && rows > 0) {
      throw new ColumnChangeError(
        `${count(rows, 'row', 'rows')} would have no link; add the column as optional, fill it in, then make it required`,
        'required',
      )
    }
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
    const link = await lockLinkTarget(trx, current.owner.id, shape.link)
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
        ...linkCatalogValues(link),
      })
      .returningAll()
      .executeTakeFirstOrThrow()
    // Even on an empty table, Postgres would keep a long default where it cannot fit.
    const options = { fillRows: isLongDefault(shape.defaultValue) }
    const added = toColumnInfo(row)
    const statements = isLinkList(added)
      ? createJunctionStatements(table.id, added)
      : addColumnStatements(table.id, added, options)
    for (const statement of statements) {
      await statement.execute(trx)
    }
    if (isFileType(shape.type)) {
      await syncFileTrigger(trx, table.id, [...current.columns, toColumnInfo(row)])
    }
    return finish(trx, table.id)
  })
}

// A link column's display column, changed: a column of its target, or null for the default.
async function displayChange(trx: Db, column: ColumnInfo, slug: string | null) {
  if (!column.link) {
    throw new ColumnChangeError(
      'Only a link column shows a column of another table',
      'link_display',
    )
  }
  return { link_display_column_id: await lockDisplayColumn(trx, column.link.tableId, slug) }
}

// Renames, retypes (converting every value, or none), and changes constraints, default and choices.
export async function updateColumn(
  db: Db,
  table: TableInfo,
  columnId: number,
  changes: ColumnChanges,
): Promise<TableInfo> {
  return changeColumns(db, table.id, true, async (trx, current) => {
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
    const display =
      changes.linkDisplay === undefined ? {} : await displayChange(trx, column, changes.linkDisplay)
    await trx
      .updateTable('columns')
      .set({
        ...display,
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
  return changeColumns(db, table.id, false, async (trx, current) => {
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
  return changeColumns(db, table.id, true, async (trx, current) => {
    const column = findColumn(current, columnId)
    const rest = current.columns.filter((other) => other.id !== columnId)
    if (isFileType(column.type)) {
      // Its files are deleted from storage once this commits.
      await queueColumnFiles(trx, table.id, [columnId])
      await syncFileTrigger(trx, table.id, rest)
    }
    const drop = isLinkList(column)
      ? dropJunctionStatement(columnId)
      : dropColumnStatement(table.id, columnId)
    await drop.execute(trx)
    await trx.deleteFrom('columns').where('id', '=', columnId).execute()
    await renumber(trx, rest)
    return finish(trx, table.id)
  })
}
