// Tests for column type inference and column name suggestions.
import { describe, expect, it } from 'vitest'
import {
  createTypeInferrer,
  isBoolean,
  isDate,
  isDatetime,
  isDecimal,
  isInteger,
  suggestColumnNames,
} from './infer.js'

describe('value checks', () => {
  it.each([
    ['0', true],
    ['-42', true],
    ['+7', true],
    ['007', true],
    ['9223372036854775807', true],
    ['-9223372036854775808', true],
    ['+9223372036854775807', true],
    ['9223372036854775808', false],
    ['-9223372036854775809', false],
    ['99999999999999999999', false],
    ['1.0', false],
    ['1e3', false],
    ['', false],
    ['-', false],
    ['1 2', false],
    ['0x10', false],
  ])('isInteger(%j) is %s', (value, expected) => {
    expect(isInteger(value)).toBe(expected)
  })

  it.each([
    ['1', true],
    ['1.5', true],
    ['-0.25', true],
    ['+.5', true],
    ['1.', true],
    ['1e3', true],
    ['6.02E-23', true],
    ['NaN', false],
    ['Infinity', false],
    ['.', false],
    ['1,5', false],
    ['1e', false],
    ['1.2.3', false],
    ['e3', false],
  ])('isDecimal(%j) is %s', (value, expected) => {
    expect(isDecimal(value)).toBe(expected)
  })

  it.each([
    ['true', true],
    ['FALSE', true],
    ['Yes', true],
    ['no', true],
    ['T', true],
    ['f', true],
    ['y', true],
    ['N', true],
    ['0', false],
    ['1', false],
    ['truthy', false],
    ['on', false],
  ])('isBoolean(%j) is %s', (value, expected) => {
    expect(isBoolean(value)).toBe(expected)
  })

  it.each([
    ['2024-01-31', true],
    ['2024-02-29', true],
    ['2000-02-29', true],
    ['2023-02-29', false],
    ['1900-02-29', false],
    ['2023-02-30', false],
    ['2023-04-31', false],
    ['2023-12-31', true],
    ['2023-13-01', false],
    ['2023-00-10', false],
    ['2023-01-00', false],
    ['0000-01-01', false],
    ['2023-1-1', false],
    ['01/02/2023', false],
    ['2023-01-01T00:00', false],
  ])('isDate(%j) is %s', (value, expected) => {
    expect(isDate(value)).toBe(expected)
  })

  it.each([
    ['2024-02-29T23:59', true],
    ['2024-02-29 23:59:59', true],
    ['2024-01-01T00:00:00.123', true],
    ['2024-01-01T00:00:00.123456789Z', true],
    ['2024-01-01T12:00Z', true],
    ['2024-01-01T12:00:00+05:30', true],
    ['2024-01-01 12:00:00-08:00', true],
    ['2023-02-29T12:00', false],
    ['2024-01-01T24:00', false],
    ['2024-01-01T12:60', false],
    ['2024-01-01T12:00:60', false],
    ['2024-01-01T12:00+16:00', false],
    ['2024-01-01T12:00+05:60', false],
    ['2024-01-01T12', false],
    ['2024-01-01', false],
    ['2024-01-01T12:00:00.', false],
  ])('isDatetime(%j) is %s', (value, expected) => {
    expect(isDatetime(value)).toBe(expected)
  })
})

describe('createTypeInferrer', () => {
  const infer = (...values: string[]) => {
    const inferrer = createTypeInferrer(1)
    for (const value of values) inferrer.add([value])
    return inferrer.result()[0]
  }

  it.each([
    [['1', '-2', ' 3 ', ''], 'integer'],
    [['0', '1', '1'], 'integer'],
    [['1', '2.5'], 'decimal'],
    [['1', '9223372036854775808'], 'decimal'],
    [['1e3', '-0.25'], 'decimal'],
    [['yes', 'No', ' T ', ''], 'boolean'],
    [['true', '1'], 'text'],
    [['2024-02-29', '2023-12-31'], 'date'],
    [['2024-02-29', '2023-02-29'], 'text'],
    [['2024-02-29', '2024-03-01 10:00'], 'datetime'],
    [['2024-03-01T10:00Z', '2024-03-01T11:00:00+01:00'], 'datetime'],
    [['1', 'x', '2'], 'text'],
    [['1.5', 'NaN'], 'text'],
    [['', '  '], 'text'],
    [[], 'text'],
  ])('infers %j as %s', (values, expected) => {
    expect(infer(...values)).toBe(expected)
  })

  it('infers each column separately', () => {
    const inferrer = createTypeInferrer(4)
    inferrer.add(['1', '1.5', 'yes', '2024-01-01'])
    inferrer.add(['2', '2', 'no'])
    inferrer.add(['x', '3', 'n', '2024-01-02', 'extra'])
    expect(inferrer.result()).toEqual(['text', 'decimal', 'boolean', 'date'])
  })
})

describe('suggestColumnNames', () => {
  it.each([
    [
      ['id', ' name ', 'votes'],
      ['id', 'name', 'votes'],
    ],
    [
      ['', 'name', '  '],
      ['Column 1', 'name', 'Column 3'],
    ],
    [
      ['name', 'name', 'name'],
      ['name', 'name 2', 'name 3'],
    ],
    [
      ['Name', 'name'],
      ['Name', 'name 2'],
    ],
    [
      ['a', 'a', 'a 2'],
      ['a', 'a 3', 'a 2'],
    ],
    [
      ['a', 'a', 'a 2', 'a 3'],
      ['a', 'a 4', 'a 2', 'a 3'],
    ],
    [
      ['Column 2', ''],
      ['Column 2', 'Column 2 2'],
    ],
    [[], []],
  ])('suggests names for %j', (header, expected) => {
    expect(suggestColumnNames(header)).toEqual(expected)
  })
})
