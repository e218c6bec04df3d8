// A table's facets for an actor: the ones asked for among the rows a page shows, and suggestions.
import { type Facet, readFacets, suggestFacets } from '../datasource/facets.js'
import type { RowMatch } from '../datasource/rows.js'
import type { ColumnInfo, TableInfo } from '../datasource/types.js'
import type { Db } from '../db/database.js'
import { requireAccess } from './access.js'
import type { Actor } from './actor.js'

export interface PageFacets {
  facets: Facet[]
  suggested: ColumnInfo[]
}

export async function readPageFacets(
  db: Db,
  actor: Actor,
  table: TableInfo,
  wanted: readonly ColumnInfo[],
  match: RowMatch,
  matching: number,
): Promise<PageFacets> {
  requireAccess(actor, table, 'read')
  const facets = await readFacets(db, table, wanted, match, { matching })
  return { facets, suggested: await suggestFacets(db, table) }
}
