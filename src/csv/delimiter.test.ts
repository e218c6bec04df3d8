// Tests for delimiter detection.
import { describe, expect, it } from 'vitest'
import { detectDelimiter } from './delimiter.js'

describe('detectDelimiter', () => {
  it.each([
    ['commas', 'name,votes\nAldershot,23369\nBarnsley,1234\n', ','],
    ['semicolons with decimal commas', 'name;price\nfoo;1,5\nbar;2,5\n', ';'],
    ['tabs', 'a\tb\tc\n1\t2\t3\n', '\t'],
    ['pipes', 'a|b\n1|2\n', '|'],
    ['semicolons with commas inside quotes', 'a;"b,c,d"\n1;"2,3,4"\n', ';'],
    ['commas with a stray semicolon in one value', 'a,b,c\n1,2,x;y\n3,4,5\n', ','],
    ['a single line without a newline', 'a;b;c', ';'],
    ['a cut-off last line', 'a|b\n1|2\n3,4,5,6,7,8', '|'],
    ['the candidate giving more fields on a tie', 'a;b,c;d\n', ';'],
    ['the earlier candidate on a full tie', 'a,b;c\n1,2;3\n', ','],
    ['ragged lines, counting more fields on a tie', 'a;b\nc;d;e\n', ';'],
    ['ragged lines, counting more fields first', 'a|b|c\nd|e\n', '|'],
    ['the default for a single column', 'name\nAldershot\n', ','],
    ['the default for empty text', '', ','],
    ['the default for a lone unterminated quote', '"a;b', ','],
  ])('detects %s', (_name, sample, expected) => {
    expect(detectDelimiter(sample)).toBe(expected)
  })

  it('looks only at the first lines', () => {
    const sample = `${'a;b\n'.repeat(100)}${'a,b,c\n'.repeat(1000)}`
    expect(detectDelimiter(sample)).toBe(';')
  })
})
