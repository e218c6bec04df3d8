import { describe, expect, it } from 'vitest'
import { RawJson, stringifyExact } from './raw-json.js'

describe('stringifyExact', () => {
  it('writes raw JSON text as it is, at any depth, and leaves everything else to JSON.stringify', () => {
    const value = {
      big: new RawJson('12345678901234567890'),
      nested: [{ doc: new RawJson('{"a": [1.10, 2]}') }, null, 'text'],
      plain: 1.5,
    }
    expect(stringifyExact(value)).toBe(
      '{"big":12345678901234567890,"nested":[{"doc":{"a": [1.10, 2]}},null,"text"],"plain":1.5}',
    )
    expect(stringifyExact({ a: 1, b: ['x'] })).toBe(JSON.stringify({ a: 1, b: ['x'] }))
  })

  it('writes bigints as their digits, with raw JSON beside them', () => {
    expect(stringifyExact({ n: 2n ** 70n, raw: new RawJson('1.000') })).toBe(
      '{"n":1180591620717411303424,"raw":1.000}',
    )
  })

  it('keeps text that looks like a placeholder as text', () => {
    const tricky = '\u0000raw0:0'
    expect(JSON.parse(stringifyExact({ tricky, raw: new RawJson('1') }))).toEqual({
      tricky,
      raw: 1,
    })
  })

  it('gives plain JSON.stringify the value, before and after', () => {
    expect(JSON.stringify({ raw: new RawJson('[1, 2]') })).toBe('{"raw":[1,2]}')
    stringifyExact({ raw: new RawJson('3') })
    expect(JSON.stringify(new RawJson('"s"'))).toBe('"s"')
  })

  it('passes on an error that is not a bigint’s', () => {
    const cyclic: Record<string, unknown> = {}
    cyclic.self = cyclic
    expect(() => stringifyExact(cyclic)).toThrow(TypeError)
    const throwing = {
      toJSON() {
        throw new RangeError('no')
      },
    }
    expect(() => stringifyExact(throwing)).toThrow(RangeError)
    expect(JSON.stringify(new RawJson('4'))).toBe('4')
  })
})
