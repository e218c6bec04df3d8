import { describe, expect, it } from 'vitest'
import { FormEncodingError, parseUrlEncoded } from './url-encoded.js'

const bytes = (text: string) => new TextEncoder().encode(text)
const parse = (text: string) => parseUrlEncoded(bytes(text))

describe('parseUrlEncoded', () => {
  it('reads what URLSearchParams writes, in order, repeats included', () => {
    const sent = new URLSearchParams([
      ['name', 'Garden birds & more'],
      ['ids', '1'],
      ['ids', '3'],
      ['note', 'Café 🐦 100% = +1\r\nnext line'],
      ['empty', ''],
    ])
    expect(parse(sent.toString())).toEqual([...sent])
  })

  it.each([
    ['a name with no value', 'flag', [['flag', '']]],
    ['empty parts', '&&a=1&&', [['a', '1']]],
    ['an empty body', '', []],
    ['a second equals sign', 'a=b=c', [['a', 'b=c']]],
    [
      'a % with no hex digits',
      'a=100%&b=%zz&c=%4',
      [
        ['a', '100%'],
        ['b', '%zz'],
        ['c', '%4'],
      ],
    ],
    ['lower-case hex', 'a=%c3%a9', [['a', 'é']]],
    ['a NUL, kept for the form to refuse', 'a=x%00y', [['a', 'x\u0000y']]],
    ['a raw UTF-8 character', 'a=é', [['a', 'é']]],
  ])('reads %s', (_name, body, pairs) => {
    expect(parse(body)).toEqual(pairs)
  })

  it.each([
    ['a stray byte', 'name=%FF', 'name'],
    ['a cut-off sequence', 'name=caf%C3', 'name'],
    ['an encoded surrogate', 'description=%ED%A0%80', 'description'],
    ['an overlong encoding', 'name=%C0%AF', 'name'],
    ['a bad name', '%FF=1', '\ufffd'],
  ])('refuses %s, naming the field', (_name, body, field) => {
    expect(() => parse(body)).toThrow(FormEncodingError)
    try {
      parse(body)
    } catch (error) {
      expect((error as FormEncodingError).field).toBe(field)
      expect((error as Error).message).toContain('is not valid UTF-8 text')
    }
  })

  it('refuses raw bytes that are not UTF-8', () => {
    expect(() => parseUrlEncoded(new Uint8Array([0x61, 0x3d, 0xff, 0xfe]))).toThrow(
      FormEncodingError,
    )
  })
})
