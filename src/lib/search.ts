// Search terms: trimmed, bounded, and escaped so LIKE wildcards match literally.
export const MAX_SEARCH_LENGTH = 200

export function normalizeSearch(raw: string | null | undefined): string {
  return (raw ?? '').replaceAll('\0', '').trim().slice(0, MAX_SEARCH_LENGTH)
}

// Backslash is Postgres' default LIKE escape character.
export function escapeLike(term: string): string {
  return term.replace(/[\\%_]/g, (char) => `\\${char}`)
}

export const containsPattern = (term: string) => `%${escapeLike(term)}%`
