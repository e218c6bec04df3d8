// Numbered pages for a list (the dashboard, a profile): links for the pagination partial.
import { pageWindow } from '../../lib/pagination.js'
import { withQuery } from '../urls.js'

export interface ListPagination {
  previousUrl: string | null
  nextUrl: string | null
  pages: ({ number: number; url: string; current: boolean } | null)[]
}

// Page 1 has no `page` parameter, so the list's plain address stays its first page.
export const listPageUrl = (path: string, page: number, params: Record<string, string> = {}) =>
  withQuery(path, { page: page > 1 ? page : null, ...params })

export function listPagination(
  path: string,
  page: { page: number; pageCount: number },
): ListPagination | null {
  if (page.pageCount <= 1) return null
  return {
    previousUrl: page.page > 1 ? listPageUrl(path, page.page - 1) : null,
    nextUrl: page.page < page.pageCount ? listPageUrl(path, page.page + 1) : null,
    pages: pageWindow(page.page, page.pageCount).map((n) =>
      n === null ? null : { number: n, url: listPageUrl(path, n), current: n === page.page },
    ),
  }
}
