// The `order` query parameter: `col` ascending, `-col` descending; header links cycle through them.
export interface Order {
  slug: string
  descending: boolean
}

// Unknown columns are ignored rather than an error, so old bookmarks keep working.
export function parseOrder(raw: string | null | undefined, slugs: readonly string[]): Order | null {
  if (!raw) return null
  const descending = raw.startsWith('-')
  const slug = descending ? raw.slice(1) : raw
  return slugs.includes(slug) ? { slug, descending } : null
}

export const formatOrder = (order: Order | null) =>
  order ? `${order.descending ? '-' : ''}${order.slug}` : null

// Clicking a header: not sorted by it → ascending → descending → back to the default order.
export function nextOrder(current: Order | null, slug: string): Order | null {
  if (current?.slug !== slug) return { slug, descending: false }
  return current.descending ? null : { slug, descending: true }
}

export type SortState = 'ascending' | 'descending' | 'none'

export function sortState(current: Order | null, slug: string): SortState {
  if (current?.slug !== slug) return 'none'
  return current.descending ? 'descending' : 'ascending'
}
