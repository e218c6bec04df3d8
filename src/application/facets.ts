// A table's facets for an actor: the ones asked for among the rows a page shows, and suggestions.
import {
  columnFacetBy,
  type Facet,
  MAX_FACETS,
  readFacets,
  suggestFacetsFrom,
} from '../datasource/facets.js'
import type { RowMatch } from '../datasource/rows.js'
import type { ColumnInfo, TableInfo } from '../datasource/types.js'
import type { Db } from '../db/database.js'
import { requireAccess } from './access.js'
import type { Actor } from './actor.js'
import { InvalidError } from './errors.js'
import { linksSeenBy } from './links.js'

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
  // The planner's estimates, read with the page's settings (readPageSettings).
  distinct: ReadonlyMap<string, number>,
): Promise<PageFacets> {
  requireAccess(actor, table, 'read')
  const seen = await linksSeenBy(db, actor, table)
  const facets = await readFacets(db, seen, wanted, match, { matching })
  return { facets, suggested: suggestFacetsFrom(table, distinct) }
}

// The API's `_facet` (repeated or comma lists): each slug a column that can be faceted, else a 400
// naming `_facet`. At most MAX_FACETS, each once.
export function apiFacetColumns(table: TableInfo, raw: readonly string[]): ColumnInfo[] {
  const slugs = [
    ...new Set(
      raw
        .flatMap((part) => part.split(','))
        .map((slug) => slug.trim())
        .filter(Boolean),
    ),
  ]
  const columns: ColumnInfo[] = []
  for (const slug of slugs) {
    const column = table.columns.find((candidate) => candidate.slug === slug)
    const shown = `“${slug.slice(0, 100)}”`
    if (!column) {
      throw new InvalidError(`No column ${shown} to facet.`, {
        errors: { _facet: 'Use the slug of a column of this table' },
      })
    }
    if (columnFacetBy(column) === null) {
      throw new InvalidError(`${column.name}: a ${column.type} column cannot be faceted.`, {
        errors: { _facet: 'Facet a text, number, yes/no, choice, date or link column' },
      })
    }
    columns.push(column)
  }
  if (columns.length > MAX_FACETS) {
    throw new InvalidError(`At most ${MAX_FACETS} facets at once.`, {
      errors: { _facet: `Ask for at most ${MAX_FACETS} columns` },
    })
  }
  return columns
}

// The facets asked for through the API, among the rows that match.
export function readApiFacets(
  db: Db,
  actor: Actor,
  table: TableInfo,
  wanted: readonly ColumnInfo[],
  match: RowMatch,
  matching: number,
): Promise<Facet[]> {
  requireAccess(actor, table, 'read')
  return wanted.length === 0
    ? Promise.resolve([])
    : linksSeenBy(db, actor, table).then((seen) =>
        readFacets(db, seen, wanted, match, { matching }),
      )
}
