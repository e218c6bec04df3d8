// URL slugs for tables and columns, made from display names.
export function slugify(name: string, separator: '-' | '_', maxLength = 60): string {
  const slug = name
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, separator)
    .slice(0, maxLength)
  return slug.split(separator).filter(Boolean).join(separator)
}

// The first of `base`, `base-2`, `base-3` … that is not taken.
export function uniqueSlug(base: string, taken: ReadonlySet<string>, separator: '-' | '_'): string {
  if (!taken.has(base)) return base
  for (let n = 2; ; n++) {
    const candidate = `${base}${separator}${n}`
    if (!taken.has(candidate)) return candidate
  }
}
