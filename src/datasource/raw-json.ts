// JSON text to be written out as it is: jsonb values and numbers that a double would round.

// While stringifyExact runs: where each RawJson leaves its text, and the placeholder it leaves
// instead. JSON.stringify is synchronous, so one pair at a time is enough.
let collected: string[] | null = null
let placeholder = ''

export class RawJson {
  constructor(readonly text: string) {}

  // Inside stringifyExact, a placeholder for the text; for plain JSON.stringify, the value (lossy).
  toJSON(): unknown {
    if (collected === null) return JSON.parse(this.text)
    collected.push(this.text)
    return `${placeholder}${collected.length - 1}`
  }
}

// JSON.stringify, with each RawJson (and bigint) written as its own text, so no digit is lost.
// RawJson's toJSON leaves placeholders, so the common case runs at JSON.stringify's own speed (a
// replacer function, called for every key, made a 100-row API page cost a third more CPU); a bigint
// (which JSON.stringify refuses) takes the slower way with a replacer.
export function stringifyExact(value: unknown): string {
  const raws: string[] = []
  // A placeholder no value can guess (random), starting with NUL, which stored text never holds.
  const marker = `\u0000raw${Math.random().toString(36).slice(2)}:`
  let text: string
  collected = raws
  placeholder = marker
  try {
    text = JSON.stringify(value)
  } catch (error) {
    if (!(error instanceof TypeError)) throw error
    collected = null
    raws.length = 0
    text = JSON.stringify(value, function (this: Record<string, unknown>, key, item) {
      const original = this[key]
      if (typeof original === 'bigint') raws.push(original.toString())
      else if (original instanceof RawJson) raws.push(original.text)
      else return item
      return `${marker}${raws.length - 1}`
    })
  } finally {
    collected = null
  }
  if (raws.length === 0) return text
  const escaped = JSON.stringify(marker).slice(1, -1).replace(/[\\$]/g, '\\$&')
  return text.replace(new RegExp(`"${escaped}(\\d+)"`, 'g'), (_, index) =>
    String(raws[Number(index)]),
  )
}
