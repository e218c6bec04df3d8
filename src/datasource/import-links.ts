// An import's link values: ids of the linked table's rows, or their display values. Each target's
// ids and display values are read once, before COPY (the connection is busy while it runs), so a
// value costs a lookup in memory, not a query.
import { sql } from 'kysely'
import type { Db } from '../db/database.js'
import { isLinkList } from './column-type/link.js'
import { displaySql } from './links.js'
import { tableRef } from './names.js'
import type { ColumnInfo } from './types.js'

// A target with more rows than this takes ids only: its values are not all read into memory.
export const MATCHED_ROWS = 100_000

export type Resolved = { ok: true; value: string | null } | { ok: false; message: string }

const SHOWN_CHARS = 60
const quote = (text: string) =>
  `“${text.length > SHOWN_CHARS ? `${text.slice(0, SHOWN_CHARS)}…` : text}”`

const ID = /^\d{1,18}$/

export class LinkResolver {
  constructor(
    // null: too many rows to read, ids only.
    private readonly ids: ReadonlySet<string> | null,
    // Each display value and its row's id, or null when two or more rows show it.
    private readonly byDisplay: ReadonlyMap<string, string | null>,
  ) {}

  // A whole number that is a row's id is that row; anything else is matched, exactly (case and
  // all), against the display values. A whole number that is no row's id and no display value is
  // sent on as an id, for the foreign key to refuse with the usual message.
  resolve(raw: string): Resolved {
    const value = raw.trim()
    if (value === '') return { ok: true, value: null }
    const number = ID.test(value) ? BigInt(value).toString() : null
    if (number !== null && number !== '0' && (this.ids === null || this.ids.has(number))) {
      return { ok: true, value: number }
    }
    if (this.ids === null) {
      return {
        ok: false,
        message: `give the linked row’s id: the linked table has more than ${MATCHED_ROWS.toLocaleString('en-GB')} rows, too many to match ${quote(value)} by value`,
      }
    }
    if (this.byDisplay.has(value)) {
      const id = this.byDisplay.get(value)
      if (id) return { ok: true, value: id }
      return {
        ok: false,
        message: `${quote(value)} is shown by two or more rows of the linked table: give the row’s id`,
      }
    }
    if (number !== null && number !== '0') return { ok: true, value: number }
    return { ok: false, message: `no row of the linked table has the id or value ${quote(value)}` }
  }
}

async function resolverFor(trx: Db, column: ColumnInfo): Promise<LinkResolver> {
  const link = column.link as NonNullable<ColumnInfo['link']>
  const display = link.display ? displaySql(link.display) : sql`null`
  const { rows } = await sql<{ id: string | number; display: string | null }>`
    select id, ${display} as display from ${tableRef(link.tableId)}
    limit ${MATCHED_ROWS + 1}`.execute(trx)
  if (rows.length > MATCHED_ROWS) return new LinkResolver(null, new Map())
  const ids = new Set<string>()
  const byDisplay = new Map<string, string | null>()
  for (const row of rows) {
    const id = String(row.id)
    ids.add(id)
    if (row.display === null) continue
    const key = row.display.trim()
    byDisplay.set(key, byDisplay.has(key) ? null : id)
  }
  return new LinkResolver(ids, byDisplay)
}

// A resolver for each link column among the targets, by column id (one query each).
export async function linkResolvers(
  trx: Db,
  targets: readonly (ColumnInfo | null)[],
): Promise<Map<number, LinkResolver>> {
  const resolvers = new Map<number, LinkResolver>()
  for (const column of targets) {
    // Several links per cell are ids only (link-list-import.ts).
    if (column?.link && !isLinkList(column) && !resolvers.has(column.id)) {
      resolvers.set(column.id, await resolverFor(trx, column))
    }
  }
  return resolvers
}
