// Plain objects the DataSource hands to routes: tables and columns by display name and slug only.
import type { ColumnType } from './column-types.js'

export interface Owner {
  id: number
  username: string
  name: string | null
  avatarUrl: string | null
}

export interface ColumnInfo {
  id: number
  name: string
  slug: string
  type: ColumnType
  position: number
  required: boolean
  unique: boolean
  defaultValue: string | null
  choices: string[] | null
  // Link columns only: the table linked to, and what deleting a linked row does.
  link?: LinkTarget | null
}

export type LinkOnDelete = 'clear' | 'refuse'

export interface LinkTarget {
  tableId: number
  onDelete: LinkOnDelete
  // Several links per row, kept in a junction table (the user table has no cell for them).
  many?: boolean
  // The target's slug, as the catalog reads it (absent in a spec).
  tableSlug?: string
  // The display column the owner chose (null: the default, the target's first text column).
  displayColumnId?: number | null
  // As the catalog reads it: the column shown for a linked row (the chosen one, else the target's
  // first text column; null when it has none), and the chosen one's slug.
  display?: LinkDisplay | null
  displaySlug?: string | null
}

export interface LinkDisplay {
  id: number
  slug: string
  name: string
  type: ColumnType
}

export interface TableInfo {
  id: number
  owner: Owner
  name: string
  slug: string
  description: string
  isPublic: boolean
  rowCount: number
  createdAt: Date
  updatedAt: Date
  columns: ColumnInfo[]
}

export interface ColumnSpec {
  name: string
  type: ColumnType
  required?: boolean
  unique?: boolean
  defaultValue?: string | null
  choices?: string[] | null
  link?: LinkSpec | null
}

// The table a new link column points at: by id (the pages) or by the owner's slug (the API).
export interface LinkSpec {
  tableId?: number
  tableSlug?: string
  onDelete: LinkOnDelete
  many?: boolean
  // The slug of the target's column to show (absent or null: the first text column).
  displaySlug?: string | null
}

export interface Row {
  id: number
  version: number
  // Values as text (or null), in column order.
  cells: (string | null)[]
  // For a grid's rows, whose values are cut short: which cells were.
  truncated?: boolean[]
  // Link cells with a value, by column index: the linked row as a reader may see it.
  links?: Record<number, LinkedRow>
  // Several-links cells, by column index: the first links (in their order) and how many there are.
  linkLists?: Record<number, LinkList>
}

export interface LinkList {
  links: LinkedRow[]
  total: number
}

// `display` and `url` are null when the reader may not see the linked table (or the row is gone).
export interface LinkedRow {
  id: number
  display: string | null
  url: string | null
}
