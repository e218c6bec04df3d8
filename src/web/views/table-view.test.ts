import { describe, expect, it } from 'vitest'
import { formatApproximate, formatCount } from './table-view.js'

describe('row counts', () => {
  it.each([
    [7, '7'],
    [1234, '1,200'],
    [34_567, '35,000'],
    [1_000_000, '1 million'],
    [1_234_567, '1.2 million'],
    [25_600_000, '26 million'],
  ])('shows an estimate of %i as “%s”', (n, shown) => {
    expect(formatApproximate(n)).toBe(shown)
  })

  it('shows an exact count in full, with thousands separated', () => {
    expect(formatCount(1_234_567)).toBe('1,234,567')
  })
})
