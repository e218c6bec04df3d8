// Checks for text that cannot be stored or shown safely: NUL and other control characters, and
// strings that are not well-formed Unicode (a lone surrogate).

const isControl = (code: number) => code < 0x20 || code === 0x7f

// Tab, line feed and carriage return are allowed where text may span lines.
export function hasControlCharacters(text: string, options: { multiline?: boolean } = {}) {
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i)
    if (!isControl(code)) continue
    if (options.multiline && (code === 0x09 || code === 0x0a || code === 0x0d)) continue
    return true
  }
  return false
}

// A lone surrogate half cannot be encoded as UTF-8, so Postgres refuses it.
export function isWellFormed(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i)
    if (code >= 0xd800 && code <= 0xdbff) {
      const next = text.charCodeAt(i + 1)
      if (!(next >= 0xdc00 && next <= 0xdfff)) return false
      i++
    } else if (code >= 0xdc00 && code <= 0xdfff) return false
  }
  return true
}
