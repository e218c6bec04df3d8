// One page of rows: numbered pages by offset (from whichever end is nearer), Next and Previous by
// keyset cursors, and the last page read backwards, so deep pages stay index scans.
import { type RawBuilder, sql } from 'kysely'
import type { Db } from '../db/database.js'
import { clampPage, pageCount } from '../lib/pagination.js'
import { resolveLinkIds } from './filter-sql.js'
import type { Filter } from './filters.js'
import {
  type Cursor,
  encodeCursor,
  linkSortJoin,
  type RowOrder,
  segments,
  sortKey,
} from './keyset.js'
import { tableRef } from './names.js'
import { type ReadColumns, readWithCurrentColumns } from './read-columns.js'
import {
  countMatches,
  currentOrder,
  GRID_CELL_CHARS,
  matchCondition,
  type RawRow,
  selectList,
  toRow,
} from './rows.js'
import type { Row, TableInfo } from './types.js'

export type PageAt =
  | { kind: 'page'; page: number }
  | { kind: 'after'; cursor: Cursor; page: number }
  | { kind: 'before'; cursor: Cursor; page: number }
  | { kind: 'last' }

export interface RowQuery {
  search: string
  filters?: readonly Filter[]
  order: RowOrder | null
  // Where the page is; `page: n` is short for `at: { kind: 'page', page: n }`.
  at?: PageAt
  page?: number
  perPage: number
  // Tests lower this to reach the estimated-count path with little data.
  exactCountLimit?: number
  // Values are cut to this many characters (GRID_CELL_CHARS unless given); null reads them whole.
  cellChars?: number | null
}

// Which rows, in which order, whatever the page: what an export of the page's query reads.
export type RowSelection = Omit<
  RowQuery,
  'at' | 'page' | 'perPage' | 'exactCountLimit' | 'cellChars'
>

export interface RowPage {
  rows: Row[]
  total: number
  estimated: boolean
  page: number
  pageCount: number
  hasPrevious: boolean
  hasNext: boolean
  // Cursors of the first and last rows, for the Previous and Next links.
  firstCursor: string | null
  lastCursor: string | null
}

type KeyedRow = RawRow & { _k: string | null }

interface Scan {
  where: RawBuilder<unknown>
  backwards: boolean
  from: Cursor | null
  skip: number
  limit: number
}

interface Reader {
  db: Db
  table: TableInfo
  columns: ReadColumns
  cellChars: number | null
}

async function scan(
  { db, table, columns, cellChars }: Reader,
  order: RowOrder | null,
  s: Scan,
): Promise<KeyedRow[]> {
  const found: KeyedRow[] = []
  const join = linkSortJoin(order)
  let skip = s.skip
  let started = s.from === null
  for (const segment of segments(order, s.backwards)) {
    if (!started && s.from && !segment.holds(s.from)) continue
    const after = !started && s.from ? segment.after(s.from) : sql`true`
    started = true
    const want = s.limit - found.length
    if (want <= 0) break
    const where = sql`${s.where} and ${segment.filter} and ${after}`
    // Skipped rows are only counted off an index (ids), never read and formatted: a deferred join.
    const ids = sql`select id as page_id from ${tableRef(table.id)} ${join}
      where ${where} order by ${segment.orderBy} offset ${skip} limit ${want}`
    const { rows } = await sql<KeyedRow>`
      select ${selectList(columns, cellChars)}, ${sortKey(order)} as _k from ${tableRef(table.id)}
      ${join} join (${ids}) as page on id = page.page_id
      order by ${segment.orderBy}
    `.execute(db)
    if (rows.length === 0 && skip > 0) {
      // The whole segment lies before the offset: skip past it and go on in the next one.
      const { rows: counted } = await sql<{ n: string | number }>`
        select count(*) as n from ${tableRef(table.id)} ${join} where ${where}`.execute(db)
      skip = Math.max(0, skip - Number(counted[0]?.n ?? 0))
      continue
    }
    found.push(...rows)
    skip = 0
  }
  return found
}

const cursorOf = (row: KeyedRow | undefined) =>
  row ? encodeCursor({ key: row._k, id: Number(row.id) }) : null

// A table deleted while the page was being read: no rows.
const nothing = (perPage: number): RowPage => ({
  rows: [],
  total: 0,
  estimated: false,
  page: 1,
  pageCount: pageCount(0, perPage),
  hasPrevious: false,
  hasNext: false,
  firstCursor: null,
  lastCursor: null,
})

export async function listRows(db: Db, table: TableInfo, query: RowQuery): Promise<RowPage> {
  const cellChars = query.cellChars === undefined ? GRID_CELL_CHARS : query.cellChars
  return readWithCurrentColumns(
    db,
    table,
    (columns) => readPage({ db, table, columns, cellChars }, query),
    () => nothing(query.perPage),
  )
}

async function readPage(reader: Reader, asked: RowQuery): Promise<RowPage> {
  const { db, table, columns, cellChars } = reader
  const linkIds = await resolveLinkIds(db, columns, asked.search, asked.filters ?? [])
  const query = { ...asked, linkIds }
  const { total, estimated } = await countMatches(db, table, columns, query, query.exactCountLimit)
  const pages = pageCount(total, query.perPage)
  const where = matchCondition(columns, query)
  const { perPage } = query
  const order = currentOrder(query.order, columns)

  const result = (
    rows: KeyedRow[],
    page: number,
    hasPrevious: boolean,
    hasNext: boolean,
  ): RowPage => ({
    rows: rows.map((raw) => toRow(columns, raw, cellChars)),
    total,
    estimated,
    page,
    pageCount: Math.max(pages, page),
    hasPrevious,
    hasNext,
    firstCursor: cursorOf(rows[0]),
    lastCursor: cursorOf(rows[rows.length - 1]),
  })

  async function last(): Promise<RowPage> {
    const count = estimated || total === 0 ? perPage : total - (pages - 1) * perPage
    const rows = await scan(reader, order, {
      where,
      backwards: true,
      from: null,
      skip: 0,
      limit: count + 1,
    })
    return result(rows.slice(0, count).reverse(), pages, rows.length > count, false)
  }

  async function numbered(requested: number): Promise<RowPage> {
    const page = clampPage(requested, pages)
    const fromEnd = total - page * perPage
    if (!estimated && page > 1 && fromEnd < (page - 1) * perPage) {
      // Nearer the end: skip fewer rows by reading backwards.
      const count = total - (page - 1) * perPage - Math.max(0, fromEnd)
      const rows = await scan(reader, order, {
        where,
        backwards: true,
        from: null,
        skip: Math.max(0, fromEnd),
        limit: count,
      })
      return result(rows.reverse(), page, true, page < pages)
    }
    const rows = await scan(reader, order, {
      where,
      backwards: false,
      from: null,
      skip: (page - 1) * perPage,
      limit: perPage + 1,
    })
    if (rows.length === 0 && page > 1) return last()
    return result(rows.slice(0, perPage), page, page > 1, rows.length > perPage)
  }

  const at: PageAt = query.at ?? { kind: 'page', page: query.page ?? 1 }
  try {
    if (at.kind === 'last') return await last()
    if (at.kind === 'after') {
      const rows = await scan(reader, order, {
        where,
        backwards: false,
        from: at.cursor,
        skip: 0,
        limit: perPage + 1,
      })
      if (rows.length === 0) return await last()
      return result(rows.slice(0, perPage), Math.max(2, at.page), true, rows.length > perPage)
    }
    if (at.kind === 'before') {
      const rows = await scan(reader, order, {
        where,
        backwards: true,
        from: at.cursor,
        skip: 0,
        limit: perPage + 1,
      })
      // Back at the start: page 1 is always the first rows.
      if (rows.length <= perPage) return await numbered(1)
      return result(rows.slice(0, perPage).reverse(), clampPage(at.page, pages - 1), true, true)
    }
  } catch (error) {
    // A cursor whose value does not fit the column (edited by hand): fall back to the page number.
    if (!String((error as { code?: string }).code ?? '').startsWith('22')) throw error
  }
  return numbered(at.kind === 'last' ? pages : at.page)
}

export interface CursorQuery {
  search: string
  filters?: readonly Filter[]
  order: RowOrder | null
  after: Cursor | null
  limit: number
  // Values are cut to this many characters; null reads them whole.
  cellChars: number | null
}

export interface CursorPage {
  rows: Row[]
  total: number
  estimated: boolean
  // The cursor after the last row, when more rows follow.
  next: string | null
}

// Rows after a cursor (or from the start) with the cursor of the next batch: the API's paging,
// with no page numbers and no falling back to the last page.
export async function listRowsAfter(
  db: Db,
  table: TableInfo,
  query: CursorQuery,
): Promise<CursorPage> {
  return readWithCurrentColumns(
    db,
    table,
    async (columns) => {
      const reader = { db, table, columns, cellChars: query.cellChars }
      const linkIds = await resolveLinkIds(db, columns, query.search, query.filters ?? [])
      const match = { ...query, linkIds }
      const { total, estimated } = await countMatches(db, table, columns, match)
      const rows = await scan(reader, currentOrder(query.order, columns), {
        where: matchCondition(columns, match),
        backwards: false,
        from: query.after,
        skip: 0,
        limit: query.limit + 1,
      })
      const page = rows.slice(0, query.limit)
      return {
        rows: page.map((raw) => toRow(columns, raw, query.cellChars)),
        total,
        estimated,
        next: rows.length > query.limit ? cursorOf(page.at(-1)) : null,
      }
    },
    () => ({ rows: [], total: 0, estimated: false, next: null }),
  )
}
