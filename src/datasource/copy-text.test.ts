import { describe, expect, it } from 'vitest'
import { formatCopyField } from './copy-text.js'

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
