// How an import reads a link value: an id, a display value, or a refusal that says why.
import { describe, expect, it } from 'vitest'
import { LinkResolver, MATCHED_ROWS } from './import-links.js'

const resolver = new LinkResolver(
  new Set(['1', '2', '3', '4']),
  new Map([
    ['Wren', '1'],
    ['Robin', null],
    ['7', '3'],
    ['2', '4'],
  ]),
)
const big = new LinkResolver(null, new Map())

describe('LinkResolver', () => {
  it.each([
    [resolver, '', { ok: true, value: null }],
    [resolver, '  ', { ok: true, value: null }],
    [resolver, '2', { ok: true, value: '2' }],
    [resolver, '002', { ok: true, value: '2' }],
    [resolver, 'Wren', { ok: true, value: '1' }],
    [resolver, ' Wren ', { ok: true, value: '1' }],
    [resolver, '7', { ok: true, value: '3' }],
    [resolver, '99', { ok: true, value: '99' }],
    [big, '99', { ok: true, value: '99' }],
  ])('reads %#: %j', (link, raw, expected) => {
    expect(link.resolve(raw)).toEqual(expected)
  })

  it.each([
    [resolver, 'wren', 'no row of the linked table has the id or value “wren”'],
    [resolver, '0', 'no row of the linked table has the id or value “0”'],
    [resolver, 'Robin', '“Robin” is shown by two or more rows'],
    [resolver, 'x'.repeat(100), `“${'x'.repeat(60)}…”`],
    [big, 'Wren', `more than ${MATCHED_ROWS.toLocaleString('en-GB')} rows`],
  ])('refuses %#: %s', (link, raw, message) => {
    const result = link.resolve(raw)
    expect(result.ok).toBe(false)
    expect(result.ok ? '' : result.message).toContain(message)
  })
})
