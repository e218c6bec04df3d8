// The bench table's link and image columns: a link to a small table of sites (its first text
// column the display value) and an image column, filled in some rows, so page, sort and search
// cases read link display values and file cells as a user's table with both would.
import { sql } from 'kysely'
import type { CsvRecord } from '../csv/index.js'
import { findTable } from '../datasource/catalog.js'
import { addColumn } from '../datasource/columns.js'
import { importNewTable } from '../datasource/import.js'
import { columnRef, tableRef } from '../datasource/names.js'
import type { ColumnInfo, TableInfo } from '../datasource/types.js'
import type { Database } from '../db/database.js'
import { elapsedMs } from './stats.js'

export const SITES = 1_000
export const SITES_NAME = 'Bench sites'
export const LINK_COLUMN = 'Site'
export const IMAGE_COLUMN = 'Photo'
// Every row among the first FILLED_ROWS, then one in 5 (links) and one in 10 (images).
const FILLED_ROWS = 2_000

async function* siteRecords(): AsyncGenerator<CsvRecord> {
  for (let n = 1; n <= SITES; n++) yield { line: n + 1, fields: [`Site ${n}`, String(n % 7)] }
}

async function sitesTable(database: Database, ownerId: number, username: string) {
  const found = await findTable(database.db, username, 'bench-sites')
  if (found.found === 'table') return found.table
  const { table } = await importNewTable(
    database,
    {
      ownerId,
      name: SITES_NAME,
      isPublic: true,
      columns: [
        { name: 'Name', type: 'text' },
        { name: 'Zone', type: 'integer' },
      ],
    },
    siteRecords(),
  )
  return table
}

const named = (table: TableInfo, name: string): ColumnInfo | undefined =>
  table.columns.find((column) => column.name === name)

// Adds and fills the two columns unless the table has them already (a reused table).
export async function ensureLinkAndImage(
  database: Database,
  table: TableInfo,
  log: (line: string) => void,
): Promise<{ table: TableInfo; seconds: number | null }> {
  if (named(table, LINK_COLUMN) && named(table, IMAGE_COLUMN)) return { table, seconds: null }
  const start = process.hrtime.bigint()
  const sites = await sitesTable(database, table.owner.id, table.owner.username)
  let current = table
  if (!named(current, LINK_COLUMN)) {
    current = await addColumn(database.db, current, {
      name: LINK_COLUMN,
      type: 'link',
      link: { tableId: sites.id, onDelete: 'clear' },
    })
  }
  if (!named(current, IMAGE_COLUMN)) {
    current = await addColumn(database.db, current, { name: IMAGE_COLUMN, type: 'image' })
  }
  const link = columnRef((named(current, LINK_COLUMN) as ColumnInfo).id)
  const image = columnRef((named(current, IMAGE_COLUMN) as ColumnInfo).id)
  // The reference an upload stores (src/datasource/file-cells.ts), of one of 20 small images.
  const photo = sql`jsonb_build_object(
    'key', 'bench/photo-' || (id % 20) || '.png', 'name', 'photo-' || (id % 20) || '.png',
    'type', 'image/png', 'size', 2048, 'width', 64, 'height', 48,
    'thumbnail', 'bench/photo-' || (id % 20) || '-thumb.webp')`
  log(`Filling ${LINK_COLUMN} and ${IMAGE_COLUMN} in some rows…`)
  await sql`update ${tableRef(current.id)} set
      ${link} = (id % ${SITES}) + 1,
      ${image} = case when id <= ${FILLED_ROWS} and id % 2 = 0 or id % 10 = 0 then ${photo} end
    where id <= ${FILLED_ROWS} or id % 5 = 0`.execute(database.db)
  await sql`vacuum (analyze) ${tableRef(current.id)}`.execute(database.db)
  await sql`vacuum (analyze) ${tableRef(sites.id)}`.execute(database.db)
  const seconds = elapsedMs(start) / 1000
  log(`${LINK_COLUMN} and ${IMAGE_COLUMN} added and filled in ${seconds.toFixed(1)} s`)
  const refreshed = await findTable(database.db, table.owner.username, table.slug)
  if (refreshed.found !== 'table') throw new Error('The bench table went away')
  return { table: refreshed.table, seconds }
}
