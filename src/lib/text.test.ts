import { describe, expect, it } from 'vitest'
import { hasControlCharacters, isWellFormed } from './text.js'

describe('hasControlCharacters', () => {
  it.each([
    ['plain text', 'Garden birds', false, false],
    ['accents, emoji and an RTL override', 'Café 🐦 \u202e', false, false],
    ['a NUL', 'a\u0000b', true, true],
    ['an escape', 'a\u001bb', true, true],
    ['DEL', 'a\u007f', true, true],
    ['a tab', 'a\tb', true, false],
    ['a new line', 'a\r\nb', true, false],
  ])('%s: %j → %s on one line, %s over several', (_name, text, oneLine, multiline) => {
    expect(hasControlCharacters(text)).toBe(oneLine)
    expect(hasControlCharacters(text, { multiline: true })).toBe(multiline)
  })
})

describe('isWellFormed', () => {
  it.each([
    ['', true],
    ['plain', true],
    ['🐦 a pair', true],
    ['\ud83d a lone high half', false],
    ['a lone high half at the end \ud83d', false],
    ['\udc26 a lone low half', false],
  ])('%j → %s', (text, ok) => {
    expect(isWellFormed(text)).toBe(ok)
  })
})
