import { describe, expect, it } from 'vitest'
import { listPageUrl, listPagination } from './list-pagination.js'

describe('listPagination', () => {
  it('is nothing for a single page', () => {
    expect(listPagination('/alice', { page: 1, pageCount: 1 })).toBeNull()
  })

  it('numbers the pages, with gaps, and leaves page 1 without a parameter', () => {
    const pagination = listPagination('/alice', { page: 5, pageCount: 40 })
    expect(pagination?.previousUrl).toBe('/alice?page=4')
    expect(pagination?.nextUrl).toBe('/alice?page=6')
    expect(pagination?.pages).toEqual([
      { number: 1, url: '/alice', current: false },
      { number: 2, url: '/alice?page=2', current: false },
      { number: 3, url: '/alice?page=3', current: false },
      { number: 4, url: '/alice?page=4', current: false },
      { number: 5, url: '/alice?page=5', current: true },
      { number: 6, url: '/alice?page=6', current: false },
      { number: 7, url: '/alice?page=7', current: false },
      null,
      { number: 39, url: '/alice?page=39', current: false },
      { number: 40, url: '/alice?page=40', current: false },
    ])
  })

  it('has no previous page on the first, and no next page on the last', () => {
    expect(listPagination('/', { page: 1, pageCount: 2 })?.previousUrl).toBeNull()
    expect(listPagination('/', { page: 2, pageCount: 2 })?.nextUrl).toBeNull()
  })

  it('puts other parameters after the page', () => {
    expect(listPageUrl('/alice', 3, { format: 'json' })).toBe('/alice?page=3&format=json')
    expect(listPageUrl('/alice', 1, { format: 'json' })).toBe('/alice?format=json')
  })
})
