// Page numbers: clamping a requested page, and the GitHub-style window of links to show.
export interface PageRequest {
  page: number
  perPage: number
}

// Anything that is not a positive whole number means page 1. A number too big to hold exactly is
// still a page past the end, which the caller clamps to the last page, so it is kept as the
// largest safe integer rather than lost.
export function parsePage(raw: string | null | undefined): number {
  const text = raw?.trim() ?? ''
  if (!/^\d+$/.test(text)) return 1
  const page = Number(text)
  return Number.isSafeInteger(page) ? Math.max(1, page) : Number.MAX_SAFE_INTEGER
}

export function pageCount(total: number, perPage: number): number {
  return Math.max(1, Math.ceil(total / perPage))
}

export const clampPage = (page: number, pages: number) => Math.min(Math.max(1, page), pages)

// e.g. [1, 2, null, 6, 7, 8, 9, 10, null, 132, 133]: `null` is a gap shown as "…".
export function pageWindow(
  current: number,
  pages: number,
  around = 2,
  edge = 2,
): (number | null)[] {
  const shown = new Set<number>()
  for (let n = 1; n <= Math.min(edge, pages); n++) shown.add(n)
  for (let n = Math.max(1, pages - edge + 1); n <= pages; n++) shown.add(n)
  for (let n = Math.max(1, current - around); n <= Math.min(pages, current + around); n++)
    shown.add(n)
  const sorted = [...shown].sort((a, b) => a - b)
  const window: (number | null)[] = []
  sorted.forEach((n, index) => {
    const previous = sorted[index - 1]
    // A gap of exactly one page shows that page instead of "…".
    if (previous !== undefined && n - previous === 2) window.push(n - 1)
    else if (previous !== undefined && n - previous > 2) window.push(null)
    window.push(n)
  })
  return window
}
