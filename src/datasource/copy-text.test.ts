import { describe, expect, it } from 'vitest'
import { formatCopyField, formatCopyRow } from './copy-text.js'

describe('formatCopyField', () => {
  it.each([
    [null, '\\N'],
    ['', ''],
    ['plain, "quoted"', 'plain, "quoted"'],
    ['\\N', '\\\\N'],
    ['\\.', '\\\\.'],
    ['a\tb\nc\r\nd\\e', 'a\\tb\\nc\\r\\nd\\\\e'],
  ])('writes %j as %j', (value, text) => {
    expect(formatCopyField(value)).toBe(text)
  })
})

describe('formatCopyRow', () => {
  it('joins fields with tabs and ends the line', () => {
    expect(formatCopyRow(['a', null, '', 'b\nc'])).toBe('a\t\\N\t\tb\\nc\n')
    expect(formatCopyRow([])).toBe('\n')
  })
})
