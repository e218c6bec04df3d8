// The "floor": the DataSource calls a route makes for a URL, made directly, without HTTP or HTML.
// The arguments are built from the URL's query exactly as src/web/routes/tables.ts and export.ts
// build them, from the same helpers, so a change to those calls shows up here (or fails to compile).
import { findTable, getTableById } from '../datasource/catalog.js'
import { exportFile } from '../datasource/export.js'
import { readFacets } from '../datasource/facets.js'
import { linkDisplays } from '../datasource/links.js'
import { getRow, listRows } from '../datasource/rows.js'
import type { Row, TableInfo } from '../datasource/types.js'
import type { Database, Db } from '../db/database.js'
import { PER_PAGE } from '../web/routes/tables.js'
import { readTableQuery } from '../web/table-query.js'

// What loadTable() does for a public table: look it up by owner and slug.
async function loadTable(db: Db, username: string, slug: string): Promise<TableInfo> {
  const lookup = await findTable(db, username, slug)
  if (lookup.found !== 'table') throw new Error(`No table ${username}/${slug}`)
  return lookup.table
}

// The query the table page and the export read, by the routes' own function.
function searchAndOrder(table: TableInfo, query: URLSearchParams) {
  const { search, filters, facets, rowOrder, at } = readTableQuery(table, Object.fromEntries(query))
  return { search, filters, facets, order: rowOrder, at }
}

// What withLinks reads for a page: each link column's target, and its rows' display values.
export async function readLinkDisplays(db: Db, table: TableInfo, rows: Row[]) {
  for (const [index, column] of table.columns.entries()) {
    if (!column.link) continue
    const target = await getTableById(db, column.link.tableId)
    const ids = rows.flatMap((row) => (row.cells[index] ? [Number(row.cells[index])] : []))
    if (target) await linkDisplays(db, target, ids, column.link.displayColumnId)
  }
}

export type FloorCall = () => Promise<number>

// The work behind a URL of the app, as a function; it resolves to the number of rows it read.
export function floorFor(database: Database, path: string): FloorCall {
  const { db } = database
  const url = new URL(path, 'http://floor')
  const parts = url.pathname.split('/').map(decodeURIComponent)
  const [, username = '', tablesWord, slug = '', rest] = parts
  if (tablesWord !== 'tables' || parts.length > 5) throw new Error(`No floor for ${path}`)

  if (rest === undefined) {
    return async () => {
      const table = await loadTable(db, username, slug)
      const query = searchAndOrder(table, url.searchParams)
      const page = await listRows(db, table, { ...query, perPage: PER_PAGE })
      await readFacets(db, table, query.facets, query, { matching: page.total })
      await readLinkDisplays(db, table, page.rows)
      return page.rows.length
    }
  }
  if (/^[0-9]+$/.test(rest)) {
    return async () => {
      const table = await loadTable(db, username, slug)
      const row = await getRow(db, table, Number(rest))
      if (!row) throw new Error(`No row ${rest}`)
      return 1
    }
  }
  if (rest === 'export.csv') {
    return async () => {
      const table = await loadTable(db, username, slug)
      let rows = 0
      const query = searchAndOrder(table, url.searchParams)
      for await (const chunk of exportFile(database, table, query, 'csv')) {
        for (let i = chunk.indexOf(10); i !== -1; i = chunk.indexOf(10, i + 1)) rows++
      }
      return rows - 1 // the header line
    }
  }
  throw new Error(`No floor for ${path}`)
}
