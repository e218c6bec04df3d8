import { describe, expect, it } from 'vitest'
import { containsPattern, escapeLike, MAX_SEARCH_LENGTH, normalizeSearch } from './search.js'

describe('search terms', () => {
  it.each([
    ['100%', '100\\%'],
    ['first_name', 'first\\_name'],
    ['back\\slash', 'back\\\\slash'],
    ['plain', 'plain'],
  ])('escapes %j for LIKE', (term, escaped) => {
    expect(escapeLike(term)).toBe(escaped)
  })
  it('wraps the term for a substring match', () => {
    expect(containsPattern('a%')).toBe('%a\\%%')
  })
  it('trims, drops NUL characters and bounds the length', () => {
    expect(normalizeSearch('  lab\0our ')).toBe('labour')
    expect(normalizeSearch('x'.repeat(10_000))).toHaveLength(MAX_SEARCH_LENGTH)
    expect(normalizeSearch(undefined)).toBe('')
  })
})
