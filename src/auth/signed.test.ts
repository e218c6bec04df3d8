import { describe, expect, it } from 'vitest'
import { hmac, safeEqual, sign, verify } from './signed.js'

const SECRET = 'a-test-secret-that-is-long-enough-to-use'

describe('signed tokens', () => {
  it('give back the payload they were signed with', () => {
    const token = sign(SECRET, { kind: 'code', login: 'alice' })
    expect(verify(SECRET, token)).toEqual({ kind: 'code', login: 'alice' })
  })

  it.each([
    ['another secret', (token: string) => token, 'another-secret-that-is-long-enough-to-use'],
    ['a changed payload', (token: string) => `e30${token}`, SECRET],
    ['a changed signature', (token: string) => `${token.slice(0, -2)}AA`, SECRET],
    ['no signature', (token: string) => token.split('.')[0] ?? '', SECRET],
    ['nothing at all', () => '', SECRET],
  ])('are refused with %s', (_case, tamper, secret) => {
    expect(verify(secret, tamper(sign(SECRET, { login: 'alice' })))).toBeNull()
  })

  it('refuse a correctly signed body that is not JSON', () => {
    const body = Buffer.from('not { json').toString('base64url')
    expect(verify(SECRET, `${body}.${hmac(SECRET, body)}`)).toBeNull()
  })
})

describe('safeEqual', () => {
  it.each([
    ['abc', 'abc', true],
    ['abc', 'abd', false],
    ['abc', 'abcd', false],
    ['', '', true],
  ])('%j = %j is %s', (a, b, equal) => {
    expect(safeEqual(a, b)).toBe(equal)
  })
})
