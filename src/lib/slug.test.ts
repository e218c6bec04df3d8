import { describe, expect, it } from 'vitest'
import { slugify, uniqueSlug } from './slug.js'

describe('slugify', () => {
  it.each([
    ['UK General Election 2017', '-', 'uk-general-election-2017'],
    ['  Ynys Môn — votes!  ', '-', 'ynys-mon-votes'],
    ['First name', '_', 'first_name'],
    ['???', '-', ''],
  ] as const)('turns %j into a slug', (name, separator, slug) => {
    expect(slugify(name, separator)).toBe(slug)
  })
  it('bounds the length', () => {
    expect(slugify('a'.repeat(500), '-')).toHaveLength(60)
  })
})

describe('uniqueSlug', () => {
  it('adds the first free number', () => {
    expect(uniqueSlug('votes', new Set(), '_')).toBe('votes')
    expect(uniqueSlug('votes', new Set(['votes', 'votes_2']), '_')).toBe('votes_3')
  })
})
