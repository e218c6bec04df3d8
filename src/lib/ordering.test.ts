import { describe, expect, it } from 'vitest'
import { formatOrder, nextOrder, parseOrder, sortState } from './ordering.js'

const slugs = ['party', 'votes']

describe('parseOrder', () => {
  it.each([
    ['votes', { slug: 'votes', descending: false }],
    ['-votes', { slug: 'votes', descending: true }],
    ['nosuchcolumn', null],
    ['--votes', null],
    ['', null],
    [undefined, null],
  ])('reads %j', (raw, order) => {
    expect(parseOrder(raw, slugs)).toEqual(order)
  })
})

describe('header links', () => {
  it('cycles ascending → descending → none', () => {
    const ascending = nextOrder(null, 'votes')
    expect(ascending).toEqual({ slug: 'votes', descending: false })
    const descending = nextOrder(ascending, 'votes')
    expect(descending).toEqual({ slug: 'votes', descending: true })
    expect(nextOrder(descending, 'votes')).toBeNull()
  })
  it('starts ascending on another column', () => {
    expect(nextOrder({ slug: 'votes', descending: true }, 'party')).toEqual({
      slug: 'party',
      descending: false,
    })
  })
  it('formats and reports the state', () => {
    expect(formatOrder({ slug: 'votes', descending: true })).toBe('-votes')
    expect(formatOrder(null)).toBeNull()
    expect(sortState({ slug: 'votes', descending: true }, 'votes')).toBe('descending')
    expect(sortState({ slug: 'votes', descending: false }, 'votes')).toBe('ascending')
    expect(sortState({ slug: 'votes', descending: false }, 'party')).toBe('none')
  })
})
