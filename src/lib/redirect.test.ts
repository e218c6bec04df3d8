import { describe, expect, it } from 'vitest'
import { MAX_REDIRECT_LENGTH, safeRedirectPath } from './redirect.js'

const ORIGIN = 'http://localhost:8000'

describe('safeRedirectPath', () => {
  it.each([
    ['/alice/tables/birds', '/alice/tables/birds'],
    ['/alice/tables/birds?search=wren&page=2', '/alice/tables/birds?search=wren&page=2'],
    ['/settings#sessions', '/settings#sessions'],
    ['/', '/'],
    // A Referer is absolute: same origin is kept, as a path.
    ['http://localhost:8000/alice?page=2', '/alice?page=2'],
    // The parser's own normalization: dot segments, and escapes for what a header cannot carry.
    ['/a/../b', '/b'],
    ['/tables/café', '/tables/caf%C3%A9'],
    ['/x?q=a b', '/x?q=a%20b'],
    // Same scheme, no slashes: a relative path on our host, as browsers read it too.
    ['http:evil.com', '/evil.com'],
  ])('keeps %j as %j', (value, path) => {
    expect(safeRedirectPath(value, ORIGIN)).toBe(path)
  })

  it.each([
    ['a tab that browsers drop', '/\t/evil.com'],
    ['a tab, as in /%09/evil.com', decodeURIComponent('/%09/evil.com')],
    ['a newline', '/\n/evil.com'],
    ['a protocol-relative URL', '//evil.com'],
    ['a protocol-relative URL with a path', '//evil.com/alice'],
    ['a backslash', '/\\evil.com'],
    ['two backslashes', '\\\\evil.com'],
    ['a path that normalizes to //', '/.//evil.com'],
    ['a path that climbs to //', '/x/..//evil.com'],
    ['another site', 'https://evil.com'],
    ['our host on another port', 'http://localhost:9000/alice'],
    ['our host over https', 'https://localhost:8000/alice'],
    ['javascript:', 'javascript:alert(1)'],
    ['JavaScript: in capitals', 'JaVaScRiPt:alert(1)'],
    ['data:', 'data:text/html,<script>alert(1)</script>'],
    ['a CR LF header injection', '/x\r\nSet-Cookie: a=b'],
    ['a NUL', '/x\u0000y'],
    ['DEL', '/x\u007f'],
    ['1 MB', `/${'a'.repeat(1 << 20)}`],
    ['one character too long', `/${'a'.repeat(MAX_REDIRECT_LENGTH)}`],
    ['an empty string', ''],
    ['a number', 42],
    ['an array', ['/alice']],
    ['undefined', undefined],
    ['null', null],
    ['a URL with credentials elsewhere', 'http://localhost:8000@evil.com/'],
    ['a broken URL', 'http://[::1'],
  ])('refuses %s', (_name, value) => {
    expect(safeRedirectPath(value, ORIGIN)).toBe('/')
    expect(safeRedirectPath(value, ORIGIN, '/fallback')).toBe('/fallback')
  })

  it('refuses a path that escaping makes too long', () => {
    const path = `/${'é'.repeat(MAX_REDIRECT_LENGTH / 2)}`
    expect(path.length).toBeLessThanOrEqual(MAX_REDIRECT_LENGTH)
    expect(safeRedirectPath(path, ORIGIN)).toBe('/')
  })

  it('refuses everything when the origin itself does not parse', () => {
    expect(safeRedirectPath('/alice', 'not a url')).toBe('/')
  })
})
