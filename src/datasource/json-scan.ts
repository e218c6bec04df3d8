// A JSON reader that keeps numbers exact: it checks text as Postgres's jsonb will read it (and how
// long jsonb will write it back), or builds values whose numbers keep their digits (RawJson).
import { RawJson } from './raw-json.js'

export class JsonSyntaxError extends Error {
  constructor(
    readonly reason: string,
    // 0-based, in UTF-16 units.
    readonly position: number,
  ) {
    super(`${reason} at character ${position + 1}`)
  }
}

// A rule of ours (or of jsonb) that well-formed JSON can still break.
export class JsonContentError extends Error {}

export const MAX_JSON_DEPTH = 1000
export const MAX_NUMBER_DIGITS = 1000
export const MAX_EXPONENT_DIGITS = 3

export const NUMBER_LIMIT_MESSAGE = `Numbers can have at most ${MAX_NUMBER_DIGITS.toLocaleString('en-GB')} digits and an exponent of up to ${MAX_EXPONENT_DIGITS} digits`

const QUOTE = 0x22
const BACKSLASH = 0x5c
const NUMBER_RE = /-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?/y
const HEX4_RE = /^[0-9a-fA-F]{4}$/
// jsonb writes these escapes with two characters; other control characters take six (\u001f).
const SHORT_ESCAPES = new Set([0x08, 0x09, 0x0a, 0x0c, 0x0d])
const UNESCAPED: Record<string, number> = { b: 8, t: 9, n: 10, f: 12, r: 13 }

// How long Postgres's numeric writes a number: no exponent, scale kept ("1.50e1" is "15.0").
export function numericTextLength(text: string): number {
  // Called only for valid JSON numbers, which this always matches.
  const [, sign, whole = '', fraction = '', exponent = '0'] =
    /^([+-]?)(\d*)(?:\.(\d*))?(?:[eE]([+-]?\d+))?/.exec(text) as RegExpExecArray
  const digits = whole + fraction
  const point = whole.length + Number(exponent)
  const scale = Math.max(0, fraction.length - Number(exponent))
  const integer =
    point <= 0
      ? ''
      : point >= digits.length
        ? digits + '0'.repeat(point - digits.length)
        : digits.slice(0, point)
  const integerLength = integer.replace(/^0+/, '').length || 1
  const negative = sign === '-' && /[1-9]/.test(digits)
  return (negative ? 1 : 0) + integerLength + (scale > 0 ? 1 + scale : 0)
}

export function checkNumberDigits(text: string): boolean {
  const [mantissa = '', exponent] = text.split(/[eE]/)
  const digits = mantissa.replace(/[^0-9]/g, '').length
  return digits <= MAX_NUMBER_DIGITS && (exponent ?? '').replace(/^[+-]/, '').length <= 3
}

class Reader {
  pos = 0
  depth = 0
  // The length of the text jsonb would write back (an upper bound: it drops repeated keys).
  stored = 0

  constructor(
    readonly text: string,
    // Values are built (numbers as RawJson) rather than only checked.
    readonly build: boolean,
  ) {}

  fail(reason: string): never {
    throw new JsonSyntaxError(reason, this.pos)
  }

  space(): void {
    const { text } = this
    let code = text.charCodeAt(this.pos)
    while (code === 0x20 || code === 0x0a || code === 0x0d || code === 0x09) {
      code = text.charCodeAt(++this.pos)
    }
  }

  expect(char: string, what: string): void {
    this.space()
    if (this.text[this.pos] !== char)
      this.fail(this.pos >= this.text.length ? 'unexpected end' : what)
    this.pos++
  }

  value(): unknown {
    this.space()
    const char = this.text[this.pos]
    if (char === '{') return this.object()
    if (char === '[') return this.array()
    if (char === '"') return this.string()
    if (char === '-' || (char !== undefined && char >= '0' && char <= '9')) return this.number()
    if (char === 't' && this.word('true')) return true
    if (char === 'f' && this.word('false')) return false
    if (char === 'n' && this.word('null')) return null
    return this.fail(char === undefined ? 'unexpected end' : 'expected a value')
  }

  word(word: string): boolean {
    if (!this.text.startsWith(word, this.pos)) return false
    this.pos += word.length
    this.stored += word.length
    return true
  }

  nest(): void {
    if (++this.depth > MAX_JSON_DEPTH) {
      throw new JsonContentError(
        `Can nest at most ${MAX_JSON_DEPTH.toLocaleString('en-GB')} levels deep`,
      )
    }
    this.pos++
    this.stored += 2
  }

  // A comma between members or items; jsonb writes ", ".
  comma(): boolean {
    if (this.text[this.pos] !== ',') return false
    this.pos++
    this.stored += 2
    return true
  }

  object(): unknown {
    this.nest()
    const object: Record<string, unknown> = {}
    this.space()
    if (this.text[this.pos] === '}') {
      this.pos++
    } else {
      do {
        this.space()
        if (this.text[this.pos] !== '"')
          this.fail(this.pos >= this.text.length ? 'unexpected end' : 'expected a key in quotes')
        const key = this.string() as string
        this.expect(':', 'expected “:” after a key')
        const item = this.value()
        // ": " after each key, ", " between members, as jsonb writes them.
        this.stored += 2
        // `__proto__` stays an own key, as JSON.parse makes it, rather than setting the prototype.
        if (this.build && key === '__proto__') {
          Object.defineProperty(object, key, {
            value: item,
            enumerable: true,
            writable: true,
            configurable: true,
          })
        } else if (this.build) object[key] = item
        this.space()
      } while (this.comma())
      this.expect('}', 'expected “,” or “}”')
    }
    this.depth--
    return this.build ? object : undefined
  }

  array(): unknown {
    this.nest()
    const items: unknown[] = []
    this.space()
    if (this.text[this.pos] === ']') {
      this.pos++
    } else {
      do {
        const item = this.value()
        if (this.build) items.push(item)
        this.space()
      } while (this.comma())
      this.expect(']', 'expected “,” or “]”')
    }
    this.depth--
    return this.build ? items : undefined
  }

  string(): unknown {
    const { text } = this
    const start = this.pos++
    let stored = 2
    let escaped = false
    for (;;) {
      const code = text.charCodeAt(this.pos)
      if (Number.isNaN(code)) this.fail('unterminated string')
      if (code === QUOTE) break
      if (code < 0x20) this.fail('control characters in strings must be escaped')
      if (code !== BACKSLASH) {
        stored++
        this.pos++
        continue
      }
      escaped = true
      stored += this.escape()
    }
    this.pos++
    this.stored += stored
    if (!this.build) return undefined
    const body = text.slice(start + 1, this.pos - 1)
    return escaped ? (JSON.parse(text.slice(start, this.pos)) as string) : body
  }

  // One escape sequence at `pos`; returns how many characters jsonb writes for it.
  escape(): number {
    const { text } = this
    const kind = text[this.pos + 1]
    if (kind === 'u') {
      const unit = this.hex(this.pos + 2)
      this.pos += 6
      if (unit === 0 && !this.build)
        throw new JsonContentError('Must not contain \\u0000, which Postgres cannot store')
      if (unit >= 0xd800 && unit <= 0xdbff) {
        const low = text.startsWith('\\u', this.pos) ? this.hex(this.pos + 2) : -1
        if (low >= 0xdc00 && low <= 0xdfff) {
          this.pos += 6
          return 2
        }
      }
      if (unit >= 0xd800 && unit <= 0xdfff && !this.build) {
        throw new JsonContentError('Must not contain an unpaired surrogate (\\ud800–\\udfff)')
      }
      return unit === 0x22 || unit === 0x5c || SHORT_ESCAPES.has(unit) ? 2 : unit < 0x20 ? 6 : 1
    }
    if (kind !== undefined && '"\\/'.includes(kind)) {
      this.pos += 2
      return kind === '/' ? 1 : 2
    }
    if (kind !== undefined && kind in UNESCAPED) {
      this.pos += 2
      return 2
    }
    return this.fail('invalid escape in a string')
  }

  hex(at: number): number {
    const digits = this.text.slice(at, at + 4)
    if (!HEX4_RE.test(digits)) {
      this.pos = at
      this.fail('expected four hex digits after \\u')
    }
    return Number.parseInt(digits, 16)
  }

  number(): unknown {
    NUMBER_RE.lastIndex = this.pos
    const match = NUMBER_RE.exec(this.text)
    const token = match?.[0] ?? ''
    if (!match || token === '-') this.fail('invalid number')
    const next = this.text[this.pos + token.length]
    if (next !== undefined && /[0-9.eE+-]/.test(next)) {
      this.pos += token.length
      this.fail('invalid number')
    }
    this.pos += token.length
    if (this.build) return new RawJson(token)
    // Most numbers have no exponent: numeric writes them as they are, but for a negative zero.
    if (match[3] === undefined && token.length <= MAX_NUMBER_DIGITS) {
      this.stored += token.length - (token[0] === '-' && !/[1-9]/.test(token) ? 1 : 0)
      return undefined
    }
    if (!checkNumberDigits(token)) throw new JsonContentError(NUMBER_LIMIT_MESSAGE)
    this.stored += numericTextLength(token)
    return undefined
  }
}

function readWhole(reader: Reader): unknown {
  const value = reader.value()
  reader.space()
  if (reader.pos < reader.text.length) reader.fail('unexpected text after the value')
  return value
}

// Checks JSON text as jsonb reads it; returns how many characters jsonb writes back (at most).
// Throws JsonSyntaxError, or JsonContentError for JSON that jsonb (or our limits) refuse.
export function checkJson(text: string): number {
  const reader = new Reader(text, false)
  readWhole(reader)
  return reader.stored
}

// JSON.parse, except that every number is a RawJson holding its exact text. Throws JsonSyntaxError.
export function parseJsonExact(text: string): unknown {
  return readWhole(new Reader(text, true))
}
