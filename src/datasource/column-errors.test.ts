import { describe, expect, it } from 'vitest'
import { ConversionError, count, rowList, shorten } from './column-errors.js'

describe('error wording', () => {
  it.each([
    [1, '1 row'],
    [2, '2 rows'],
    [1234567, '1,234,567 rows'],
  ])('counts %i as “%s”', (n, words) => {
    expect(count(n, 'row', 'rows')).toBe(words)
  })

  it.each<[number[], number, string]>([
    [[4], 1, 'row 4'],
    [[4, 9], 2, 'rows 4, 9'],
    [[4], 3, 'rows 4, …'],
  ])('lists %j of %i rows as “%s”', (ids, total, words) => {
    expect(rowList(ids, total)).toBe(words)
  })

  it('shortens long values', () => {
    expect(shorten('x'.repeat(100))).toBe('x'.repeat(100))
    expect(shorten('x'.repeat(101))).toBe(`${'x'.repeat(100)}…`)
  })

  it('gives an example only when it has one', () => {
    expect(new ConversionError('integer', 3, []).message).toBe(
      '3 values would not convert to Integer',
    )
    expect(new ConversionError('date', 1, [{ rowId: 7, value: 'x' }])).toMatchObject({
      message: '1 value would not convert to Date, e.g. row 7: “x”',
      field: 'type',
      failures: 1,
    })
  })
})
