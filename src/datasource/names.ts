// Physical names of user tables and columns: made only from catalog ids, never from user text.
import { sql } from 'kysely'

export const DATA_SCHEMA = 'userdata'

function checkId(id: number): number {
  if (!Number.isSafeInteger(id) || id <= 0) throw new Error(`Invalid catalog id: ${id}`)
  return id
}

export const physicalTableName = (tableId: number) => `t${checkId(tableId)}`
export const physicalColumnName = (columnId: number) => `c${checkId(columnId)}`

export const tableRef = (tableId: number) => sql.id(DATA_SCHEMA, physicalTableName(tableId))
export const columnRef = (columnId: number) => sql.id(physicalColumnName(columnId))
// The junction table of a several-links column: its links, one row each.
export const physicalJunctionName = (columnId: number) => `j${checkId(columnId)}`
export const junctionRef = (columnId: number) => sql.id(DATA_SCHEMA, physicalJunctionName(columnId))
// Names for indexes and constraints, also derived from ids.
export const objectName = (kind: string, tableId: number, columnId: number) =>
  `${physicalTableName(tableId)}_${physicalColumnName(columnId)}_${kind}`
