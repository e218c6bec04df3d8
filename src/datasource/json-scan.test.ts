import { sql } from 'kysely'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Database } from '../db/database.js'
import { createTestDatabase } from '../test/database.js'
import {
  checkJson,
  JsonContentError,
  JsonSyntaxError,
  numericTextLength,
  parseJsonExact,
} from './json-scan.js'
import { RawJson, stringifyExact } from './raw-json.js'

let database: Database
beforeAll(async () => {
  database = await createTestDatabase()
})
afterAll(() => database.close())

// Texts on either side of JSON's grammar and of what jsonb accepts.
const TEXTS = [
  ...[
    '1',
    '-0',
    '-0.0',
    '0e5',
    '1.50e1',
    '100e-2',
    '1e-20',
    '1E+2',
    '-1.5e-3',
    '12345678901234567890',
  ],
  ...['{"a":1e309}', '9007199254740993', '0.1000000000000000000001', `1${'0'.repeat(999)}`],
  ...['01', '1.', '.5', '-', '+1', '1e', '1e+', 'NaN', 'Infinity', '0x10', '1.5.3', '1-2', '--1'],
  ...['true', 'false', 'null', 'tru', 'True', 'nul', 'true false', ' true ', '\ttrue\n', '\r\n1'],
  ...['"abc"', '""', '"a\\"b"', '"\\\\"', '"\\/"', '"\\b\\f\\n\\r\\t"', '"\\u0041"', '"\\u00e9"'],
  ...['"\\u0001"', '"\\u001f"', '"\\u0020"', '"\\ud83d\\ude00"', '"😀"', '"é"', '"\\x"', '"\\u12"'],
  ...['"a\tb"', '"a\nb"', '"unterminated', '"a"b"', "'single'", '"\\uD83D\\uDE00"', '"\\u005c"'],
  ...['[]', '{}', '[1,2]', '[1,]', '[,1]', '[1 2]', '{"a":1,}', '{"a"}', '{a:1}', '{"a":1 "b":2}'],
  ...['{"a" : [1 , {"b" : null}] }', '[[[]]]', '[', ']', '{', '}', '[1]]', '{"a":1}}', ''],
  ...['{"b":1,"a":2,"aa":3}', '{"a":{"a":{"a":[true,false,null]}}}', '[1e999, -1e-999]'],
  ...['\u00a01', '\u000b1', '1\u00a0', '[1,\u20282]', '"\u2028"'],
]

// Well-formed JSON that jsonb (or our limits) refuse.
const REFUSED = [
  '"\\u0000"',
  '{"\\u0000": 1}',
  '"\\ud800"',
  '"\\udc00"',
  '"\\ud800x"',
  '["\\ude00\\ud83d"]',
  `1${'0'.repeat(1000)}`,
  '1e1000',
  '1e-1000',
  `${'['.repeat(1001)}${']'.repeat(1001)}`,
]

async function jsonbText(text: string): Promise<string | null> {
  try {
    const { rows } = await sql<{ v: string }>`select ${text}::text::jsonb::text as v`.execute(
      database.db,
    )
    return rows[0]?.v ?? null
  } catch {
    return null
  }
}

function check(text: string): number | 'syntax' | 'content' {
  try {
    return checkJson(text)
  } catch (error) {
    if (error instanceof JsonSyntaxError) return 'syntax'
    if (error instanceof JsonContentError) return 'content'
    throw error
  }
}

describe('checkJson', () => {
  it.each(TEXTS)('agrees with jsonb on %j, and says how long jsonb writes it', async (text) => {
    const stored = await jsonbText(text)
    const verdict = check(text)
    if (stored === null) expect(verdict).toBe('syntax')
    else expect(verdict).toBe(stored.length)
  })

  it.each(REFUSED)('refuses %j with a reason', (text) => {
    expect(check(text)).toBe('content')
  })

  it('counts a repeated key once in jsonb, so its length is an upper bound there', async () => {
    const text = '{"a":1,"a":22}'
    expect(await jsonbText(text)).toBe('{"a": 22}')
    expect(check(text)).toBeGreaterThanOrEqual(9)
  })

  it('names what is wrong and where', () => {
    expect(() => checkJson('[1,]')).toThrow('expected a value at character 4')
    expect(() => checkJson('{"a" 1}')).toThrow('expected “:” after a key at character 6')
    expect(() => checkJson('"\\u0000"')).toThrow('Must not contain \\u0000')
    expect(() => checkJson('1e1000')).toThrow('an exponent of up to 3 digits')
  })
})

describe('numericTextLength', () => {
  it.each([
    ['1e309', 310],
    ['1.50e1', 4],
    ['-0', 1],
    ['-0.0', 3],
    ['1e-20', 22],
    ['-12.5', 5],
    ['007', 1],
    ['.5', 3],
  ])('%s is written in %i characters', (text, length) => {
    expect(numericTextLength(text)).toBe(length)
  })
})

describe('parseJsonExact', () => {
  it('parses like JSON.parse, except that numbers keep their text', () => {
    const value = parseJsonExact(
      '{"n": 9007199254740993, "big": [1e309, -0.10], "s": "\\u00e9", "t": true, "z": null}',
    )
    expect(value).toEqual({
      n: new RawJson('9007199254740993'),
      big: [new RawJson('1e309'), new RawJson('-0.10')],
      s: 'é',
      t: true,
      z: null,
    })
    expect(stringifyExact(value)).toBe(
      '{"n":9007199254740993,"big":[1e309,-0.10],"s":"é","t":true,"z":null}',
    )
  })

  it('keeps a key named __proto__ as a plain key, and the last of repeated keys', () => {
    const value = parseJsonExact('{"__proto__": {"x": 1}, "a": 1, "a": 2}') as Record<
      string,
      unknown
    >
    expect(Object.getPrototypeOf(value)).toBe(Object.prototype)
    expect(Object.keys(value)).toEqual(['__proto__', 'a'])
    expect(value.a).toEqual(new RawJson('2'))
  })

  it('leaves content rules to the columns: \\u0000 and lone surrogates parse', () => {
    expect(parseJsonExact('["\\u0000", "\\ud800"]')).toEqual(['\u0000', '\ud800'])
  })

  it('throws JsonSyntaxError for text that is not JSON', () => {
    expect(() => parseJsonExact('{"a": 1')).toThrow(JsonSyntaxError)
    expect(() => parseJsonExact('[1] 2')).toThrow('unexpected text after the value at character 5')
  })
})

describe('stringifyExact', () => {
  it('writes RawJson and bigints as their text, wherever they are', () => {
    expect(stringifyExact(new RawJson('1e309'))).toBe('1e309')
    expect(stringifyExact({ a: [10n, new RawJson('{"b": 1}')], c: 'x' })).toBe(
      '{"a":[10,{"b": 1}],"c":"x"}',
    )
    expect(stringifyExact({ plain: 1.5 })).toBe('{"plain":1.5}')
  })

  it('leaves a string that looks like a placeholder alone', () => {
    const sneaky = '\u0000raw:0'
    expect(JSON.parse(stringifyExact({ sneaky, n: new RawJson('1') }))).toEqual({ sneaky, n: 1 })
  })

  it('falls back to a plain (lossy) number in JSON.stringify', () => {
    expect(JSON.stringify({ n: new RawJson('1.5') })).toBe('{"n":1.5}')
  })
})
