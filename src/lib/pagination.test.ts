import { describe, expect, it } from 'vitest'
import { clampPage, pageCount, pageWindow, parsePage } from './pagination.js'

describe('parsePage', () => {
  it.each([
    [undefined, 1],
    ['', 1],
    ['3', 3],
    [' 7 ', 7],
    ['0', 1],
    ['-3', 1],
    ['abc', 1],
    ['2.5', 1],
    ['007', 7],
    ['000', 1],
    ['+3', 1],
    ['1e3', 1],
    ['3\u0000', 1],
    ['9007199254740991', Number.MAX_SAFE_INTEGER],
    // Past the end, however far: the caller shows the last page.
    ['1000000000000', 1_000_000_000_000],
    ['9007199254740992', Number.MAX_SAFE_INTEGER],
    ['99999999999999999999', Number.MAX_SAFE_INTEGER],
    ['9'.repeat(400), Number.MAX_SAFE_INTEGER],
  ])('reads %j as page %i', (raw, page) => {
    expect(parsePage(raw)).toBe(page)
  })
})

describe('pageCount and clampPage', () => {
  it('always has at least one page', () => {
    expect(pageCount(0, 25)).toBe(1)
    expect(pageCount(3304, 25)).toBe(133)
  })
  it('clamps into range', () => {
    expect(clampPage(999999, 133)).toBe(133)
    expect(clampPage(0, 133)).toBe(1)
  })
})

describe('pageWindow', () => {
  it('shows every page when there are few', () => {
    expect(pageWindow(1, 5)).toEqual([1, 2, 3, 4, 5])
  })
  it('shows the edges and a window around the current page, with gaps', () => {
    expect(pageWindow(50, 133)).toEqual([1, 2, null, 48, 49, 50, 51, 52, null, 132, 133])
  })
  it('fills a one-page gap with the page itself', () => {
    expect(pageWindow(5, 133)).toEqual([1, 2, 3, 4, 5, 6, 7, null, 132, 133])
    // Page 3 alone lies between the edge and the window: it is shown, not "…".
    expect(pageWindow(6, 133)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, null, 132, 133])
    expect(pageWindow(128, 133)).toEqual([1, 2, null, 126, 127, 128, 129, 130, 131, 132, 133])
  })
  it('handles the first and last pages', () => {
    expect(pageWindow(1, 133)).toEqual([1, 2, 3, null, 132, 133])
    expect(pageWindow(133, 133)).toEqual([1, 2, null, 131, 132, 133])
  })
  it('handles a single page', () => {
    expect(pageWindow(1, 1)).toEqual([1])
  })
})
