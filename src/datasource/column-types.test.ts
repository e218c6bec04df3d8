import { describe, expect, it } from 'vitest'
import { COLUMN_TYPE_DEFINITIONS } from './column-type/index.js'
import {
  COLUMN_TYPE_LABELS,
  COLUMN_TYPES,
  type ColumnType,
  isColumnType,
  parseTypedValue,
  parseValue,
  textProblem,
  toJsonValue,
} from './column-types.js'
import { RawJson } from './raw-json.js'

const CHOICES = ['Red', 'Green']
const ok = (value: string | null) => ({ ok: true, value })
const fail = (message: string) => ({ ok: false, message })

describe('the registry', () => {
  it('lists every type once, in picker order, each with its own record', () => {
    expect(COLUMN_TYPES).toEqual(Object.keys(COLUMN_TYPE_DEFINITIONS))
    expect(COLUMN_TYPE_LABELS).toMatchObject({ long_text: 'Long text', boolean: 'Yes / no' })
    expect(COLUMN_TYPES.every(isColumnType)).toBe(true)
    expect(['constructor', 'toString', 'JSON', 42].some(isColumnType)).toBe(false)
  })
})

describe('textProblem', () => {
  it.each([
    ['plain', null],
    ['emoji 😀', null],
    ['a\u0000b', 'Must not contain a NUL character'],
    ['lone \ud800 high', 'Must not contain invalid Unicode (an unpaired surrogate)'],
    ['lone \udc00 low', 'Must not contain invalid Unicode (an unpaired surrogate)'],
    ['reversed \ude00\ud83d', 'Must not contain invalid Unicode (an unpaired surrogate)'],
  ])('%j → %s', (text, problem) => {
    expect(textProblem(text)).toBe(problem)
  })
})

describe('parseValue', () => {
  it.each(COLUMN_TYPES)('refuses NUL and lone surrogates in %s, before any other rule', (type) => {
    expect(parseValue(type, '1\u0000', CHOICES)).toEqual(fail('Must not contain a NUL character'))
    expect(parseValue(type, '"\ud800"', CHOICES).ok).toBe(false)
  })

  it.each<[ColumnType, string, ReturnType<typeof ok> | ReturnType<typeof fail>]>([
    ['decimal', '1'.repeat(1000), ok('1'.repeat(1000))],
    [
      'decimal',
      `-${'9'.repeat(500)}.${'9'.repeat(500)}e-999`,
      ok(`-${'9'.repeat(500)}.${'9'.repeat(500)}e-999`),
    ],
    ['decimal', '1'.repeat(1001), fail('Must have at most 1,000 digits')],
    ['decimal', '1'.repeat(20_000), fail('Must have at most 1,000 digits')],
    ['decimal', '1e1000', fail('Must be a number')],
    [
      'url',
      `https://example.com/${'x'.repeat(2028)}`,
      ok(`https://example.com/${'x'.repeat(2028)}`),
    ],
    ['url', `https://example.com/${'x'.repeat(2029)}`, fail('Must be at most 2,048 characters')],
    ['email', `${'a'.repeat(244)}@example.org`, fail('Must be at most 254 characters')],
    ['json', '{"a":1e309}', ok('{"a":1e309}')],
    ['json', ' [9007199254740993] ', ok(' [9007199254740993] ')],
    ['json', '{"a":1,"a":2}', ok('{"a":1,"a":2}')],
    ['json', '"\\u0000"', fail('Must not contain \\u0000, which Postgres cannot store')],
    ['json', '["\\ud800"]', fail('Must not contain an unpaired surrogate (\\ud800–\\udfff)')],
    [
      'json',
      '1e1000',
      fail('Numbers can have at most 1,000 digits and an exponent of up to 3 digits'),
    ],
    ['json', '{"a":', fail('Must be valid JSON (unexpected end at character 6)')],
    ['json', `[${'"x",'.repeat(249_999)}"x"]`, fail('Must be at most 1,000,000 characters')],
    [
      'json',
      `[${'1e999,'.repeat(999)}1]`,
      fail('Must be at most 1,000,000 characters as stored (numbers written out in full)'),
    ],
    ['json', `[${'0,'.repeat(333_331)}0]`, ok(`[${'0,'.repeat(333_331)}0]`)],
  ])('%s %#', (type, text, result) => {
    expect(parseValue(type, text, CHOICES)).toEqual(result)
  })

  it('refuses every value for a choice column without choices', () => {
    expect(parseValue('choice', 'Red', null)).toEqual(fail('Must be one of the listed choices'))
  })

  it('keeps long text whole up to a million characters, spaces and all', () => {
    const text = ` ${'x'.repeat(999_998)} `
    expect(parseValue('long_text', text)).toEqual(ok(text))
    expect(parseValue('long_text', `${text}y`)).toEqual(
      fail('Must be at most 1,000,000 characters'),
    )
  })
})

describe('parseTypedValue', () => {
  it.each<[ColumnType, unknown, ReturnType<typeof ok> | ReturnType<typeof fail>]>([
    ['integer', 42, ok('42')],
    ['integer', -0, ok('0')],
    ['integer', '9223372036854775807', ok('9223372036854775807')],
    ['integer', new RawJson('9223372036854775807'), ok('9223372036854775807')],
    ['integer', 123n, ok('123')],
    [
      'integer',
      2 ** 60,
      fail('Must be sent as a string beyond 2^53 (9,007,199,254,740,991), so no digit is lost'),
    ],
    ['integer', 1.5, fail('Must be a whole number')],
    ['integer', true, fail('Must be a whole number')],
    ['integer', {}, fail('Must be a whole number')],
    ['decimal', 1.5, ok('1.5')],
    ['decimal', 1e21, ok('1e+21')],
    ['decimal', new RawJson('0.1000000000000000000001'), ok('0.1000000000000000000001')],
    ['decimal', Number.POSITIVE_INFINITY, fail('Must be a number')],
    ['decimal', '1,5', fail('Must be a number')],
    ['boolean', true, ok('true')],
    ['boolean', false, ok('false')],
    ['boolean', 'Yes', ok('true')],
    ['boolean', 1, fail('Must be yes or no')],
    ['date', '2017-06-08', ok('2017-06-08')],
    ['date', 20170608, fail('Must be a date like 2017-06-08')],
    ['datetime', '2017-06-08T22:00:00Z', ok('2017-06-08T22:00:00Z')],
    ['text', 'x', ok('x')],
    ['text', 42, fail('Must be text')],
    ['text', ['x'], fail('Must be text')],
    ['text', null, ok(null)],
    ['text', undefined, ok(null)],
    ['choice', 'Red', ok('Red')],
    ['choice', 1, fail('Must be one of the listed choices')],
    ['json', { a: [1, 'x', null, true] }, ok('{"a":[1,"x",null,true]}')],
    ['json', 'hello', ok('"hello"')],
    ['json', '', ok('""')],
    ['json', 12n, ok('12')],
    ['json', [new RawJson('1e309')], ok('[1e309]')],
    ['json', { a: 2 ** 60 }, fail('Has a whole number beyond 2^53 that may have lost digits')],
    ['json', { a: Number.NaN }, fail('Numbers must be finite')],
    ['json', new Date(0), fail('Must be a JSON value')],
    ['json', { a: () => 1 }, fail('Must be a JSON value')],
    ['json', { a: 'x\u0000' }, fail('Must not contain \\u0000, which Postgres cannot store')],
    ['json', 'x\u0000', fail('Must not contain a NUL character')],
    ['json', ['\ud800'], fail('Must not contain an unpaired surrogate (\\ud800–\\udfff)')],
  ])('%s value %#', (type, value, result) => {
    expect(parseTypedValue(type, value, CHOICES)).toEqual(result)
  })

  it('refuses JSON nested deeper than jsonb can read', () => {
    let deep: unknown = 1
    for (let i = 0; i < 1002; i++) deep = [deep]
    expect(parseTypedValue('json', deep)).toEqual(fail('Can nest at most 1,000 levels deep'))
  })
})

describe('toJsonValue', () => {
  it('gives numbers and JSON exactly, as RawJson where a double would round them', () => {
    expect(toJsonValue('integer', '42')).toBe(42)
    expect(toJsonValue('integer', '9223372036854775807')).toBe('9223372036854775807')
    expect(toJsonValue('decimal', '0.1000000000000000000001')).toEqual(
      new RawJson('0.1000000000000000000001'),
    )
    expect(toJsonValue('decimal', 'not a number')).toBe('not a number')
    expect(toJsonValue('json', '{"a": 1}')).toEqual(new RawJson('{"a": 1}'))
    expect(toJsonValue('boolean', 'true')).toBe(true)
    expect(toJsonValue('date', null)).toBeNull()
  })
})
