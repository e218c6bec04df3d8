// The JSON shapes of tables, columns, rows, pages of rows and errors: one definition for the pages'
// JSON form, the API and the exports, so they cannot drift apart.
import { isLinkList } from '../datasource/column-type/link.js'
import { toJsonValue } from '../datasource/column-types.js'
import type { Facet } from '../datasource/facets.js'
import { isFileType, readFileRef } from '../datasource/file-cells.js'
import { type Filter, takesNoValue } from '../datasource/filters.js'
import type { ColumnInfo, Row, TableInfo } from '../datasource/types.js'
import { apiFileUrl, apiRowUrl, apiTableUrl, rowUrl, tableUrl } from '../lib/paths.js'

// Turns a path into an absolute URL (the adapter knows the origin, behind a proxy or not).
export type Absolute = (path: string) => string

export function columnRepresentation(column: ColumnInfo) {
  return {
    name: column.name,
    slug: column.slug,
    type: column.type,
    position: column.position,
    required: column.required,
    unique: column.unique,
    default: column.defaultValue,
    choices: column.choices,
    link: column.link
      ? {
          table: column.link.tableSlug ?? null,
          on_delete: column.link.onDelete,
          many: column.link.many === true,
          display: column.link.displaySlug ?? null,
        }
      : null,
  }
}

// A filter as applied: `{ column: "votes", operator: "gt", value: "30000" }` (no value for isnull).
export const filterRepresentation = (filter: Filter) => ({
  column: filter.column.slug,
  operator: filter.operator,
  value: takesNoValue(filter.operator) ? null : filter.raw,
})

export function tableRepresentation(table: TableInfo, absolute: Absolute) {
  const owner = table.owner.username
  return {
    name: table.name,
    slug: table.slug,
    owner,
    description: table.description,
    visibility: table.isPublic ? ('public' as const) : ('private' as const),
    row_count: table.rowCount,
    created_at: table.createdAt.toISOString(),
    updated_at: table.updatedAt.toISOString(),
    url: absolute(tableUrl(owner, table.slug)),
    api_url: absolute(apiTableUrl(owner, table.slug)),
  }
}

// The schema: the table with its columns in order.
export const schemaRepresentation = (table: TableInfo, absolute: Absolute) => ({
  ...tableRepresentation(table, absolute),
  columns: table.columns.map(columnRepresentation),
})

// A row's values by column slug, typed: numbers and JSON as RawJson (write them with
// stringifyExact, so no digit is lost), booleans, text as strings. A value cut short for a list is
// its first characters, as a string, and its slug is in truncatedSlugs.
export function rowValues(table: TableInfo, row: Row): Record<string, unknown> {
  const values: Record<string, unknown> = {}
  table.columns.forEach((column, index) => {
    const text = row.cells[index] ?? null
    values[column.slug] = isLinkList(column)
      ? (row.linkLists?.[index]?.links ?? []).map((link) => link.id)
      : row.truncated?.[index]
        ? text
        : toJsonValue(column.type, text)
  })
  return values
}

export const truncatedSlugs = (table: TableInfo, row: Row): string[] =>
  table.columns.filter((_, index) => row.truncated?.[index]).map((column) => column.slug)

// A file cell as a reader sees it: its name, sniffed type and size (and an image's size in pixels),
// with the addresses of the file and its thumbnail; never the storage keys.
export function fileValue(table: TableInfo, row: Row, index: number, absolute: Absolute) {
  const column = table.columns[index]
  const ref = readFileRef(row.cells[index] ?? null)
  if (!column || !ref) return null
  const url = absolute(apiFileUrl(table.owner.username, table.slug, row.id, column.slug))
  return {
    // A reference was read, so the cell is not null.
    ...(toJsonValue(column.type, row.cells[index] as string) as object),
    url,
    thumbnail_url: ref.thumbnail ? `${url}/thumbnail` : null,
  }
}

// A link cell as a reader sees it: `{ id, display, url }` (display and url null when the reader
// may not see the linked table, or the row is not there).
export function linkValue(row: Row, index: number, absolute: Absolute) {
  const cell = row.cells[index] ?? null
  if (cell === null) return null
  const linked = row.links?.[index]
  return {
    id: Number(cell),
    display: linked?.display ?? null,
    url: linked?.url ? absolute(linked.url) : null,
  }
}

// A several-links cell: its links in order, each `{ id, display, url }` (a grid's first few only:
// its slug is then in `truncated`).
export const linkListValue = (row: Row, index: number, absolute: Absolute) =>
  (row.linkLists?.[index]?.links ?? []).map((link) => ({
    id: link.id,
    display: link.display,
    url: link.url ? absolute(link.url) : null,
  }))

function rowValuesWithFiles(table: TableInfo, row: Row, absolute: Absolute) {
  const values = rowValues(table, row)
  table.columns.forEach((column, index) => {
    if (isFileType(column.type)) values[column.slug] = fileValue(table, row, index, absolute)
    if (column.link) {
      values[column.slug] = isLinkList(column)
        ? linkListValue(row, index, absolute)
        : linkValue(row, index, absolute)
    }
  })
  return values
}

export function rowRepresentation(table: TableInfo, row: Row, absolute: Absolute) {
  const owner = table.owner.username
  return {
    id: row.id,
    version: row.version,
    url: absolute(rowUrl(owner, table.slug, row.id)),
    api_url: absolute(apiRowUrl(owner, table.slug, row.id)),
    values: rowValuesWithFiles(table, row, absolute),
    // Present on lists only: the slugs of values cut short (the row itself has them whole).
    ...(row.truncated ? { truncated: truncatedSlugs(table, row) } : {}),
  }
}

// One line of a JSON export: the row flattened, its id first.
export const rowRecord = (table: TableInfo, row: Row) => ({ id: row.id, ...rowValues(table, row) })

export interface RowList {
  rows: Row[]
  total: number
  estimated: boolean
  next: string | null
  filters: readonly Filter[]
  facets: readonly Facet[]
}

// A facet as the API gives it: the top values with their counts (dates by year).
export const facetRepresentation = (facet: Facet) => ({
  column: facet.column.slug,
  by: facet.by,
  status: facet.status,
  more: facet.more,
  values: facet.values.map((value) => ({ value: value.value, count: value.count })),
})

// A page of rows read by cursor (the API); `next` is the absolute URL of the following page.
export function rowListRepresentation(table: TableInfo, list: RowList, absolute: Absolute) {
  return {
    rows: list.rows.map((row) => rowRepresentation(table, row, absolute)),
    total: list.total,
    total_is_estimate: list.estimated,
    filters: list.filters.map(filterRepresentation),
    facets: list.facets.map(facetRepresentation),
    next: list.next,
  }
}

export interface Problem {
  status: number
  title: string
  detail: string
  // Per-field messages: a JSON pointer into the request body (`#/votes`, `#/3/votes`) and the message.
  errors?: { pointer: string; detail: string }[]
  [extension: string]: unknown
}

// RFC 9457 problem details; `type` stays about:blank, so `title` is the status's own phrase.
export function problemRepresentation(problem: Problem) {
  return { type: 'about:blank', ...problem }
}

// Field errors keyed `slug` or `3.slug` become pointers `#/slug` and `#/3/slug`.
export function fieldPointers(errors: Record<string, string>, prefix = '#') {
  return Object.entries(errors).map(([field, detail]) => ({
    pointer: `${prefix}/${field.split('.').join('/')}`,
    detail,
  }))
}

export type ColumnRepresentation = ReturnType<typeof columnRepresentation>
export type TableRepresentation = ReturnType<typeof tableRepresentation>
export type RowRepresentation = ReturnType<typeof rowRepresentation>
