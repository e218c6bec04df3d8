// Tests for CSV output.
import { describe, expect, it } from 'vitest'
import { formatCsvField, formatCsvRow } from './format.js'
import { parseCsvText } from './parse.js'

describe('formatCsvField', () => {
  it.each([
    [null, ''],
    ['', '""'],
    ['plain', 'plain'],
    ['a,b', '"a,b"'],
    ['say "hi"', '"say ""hi"""'],
    ['two\nlines', '"two\nlines"'],
    ['carriage\rreturn', '"carriage\rreturn"'],
    [' padded', '" padded"'],
    ['padded\t', '"padded\t"'],
    ['in side', 'in side'],
    ['\\.', '"\\."'],
    ['\\.x', '\\.x'],
    ['a;b', 'a;b'],
  ])('formats %j as %j', (value, expected) => {
    expect(formatCsvField(value)).toBe(expected)
  })

  it('quotes values containing a custom delimiter', () => {
    expect(formatCsvField('a;b', ';')).toBe('"a;b"')
  })
})

describe('formatCsvRow', () => {
  it('joins fields and ends the line with LF', () => {
    expect(formatCsvRow(['1', null, '', 'x,y'])).toBe('1,,"","x,y"\n')
    expect(formatCsvRow(['a;b', 'c'], ';')).toBe('"a;b";c\n')
  })

  it('round-trips through parseCsvText', () => {
    const values = ['a', '', 'b,"c"', '\r\n', ' x ', '\\.']
    expect(parseCsvText(formatCsvRow(values), { delimiter: ',' })).toEqual([
      { line: 1, fields: values },
    ])
  })
})
