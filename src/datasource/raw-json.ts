// JSON text to be written out as it is: jsonb values and numbers that a double would round.
export class RawJson {
  constructor(readonly text: string) {}

  // For plain JSON.stringify (lossy); stringifyExact writes the text itself.
  toJSON(): unknown {
    return JSON.parse(this.text)
  }
}

// JSON.stringify, with each RawJson (and bigint) written as its own text, so no digit is lost.
export function stringifyExact(value: unknown): string {
  const raws: string[] = []
  // A placeholder no value can guess (random), starting with NUL, which stored text never holds.
  const marker = `\u0000raw${Math.random().toString(36).slice(2)}:`
  const text = JSON.stringify(value, function (this: Record<string, unknown>, key, item) {
    const original = this[key]
    if (typeof original === 'bigint') raws.push(original.toString())
    else if (original instanceof RawJson) raws.push(original.text)
    else return item
    return `${marker}${raws.length - 1}`
  })
  if (raws.length === 0) return text
  const escaped = JSON.stringify(marker).slice(1, -1).replace(/[\\$]/g, '\\$&')
  return text.replace(new RegExp(`"${escaped}(\\d+)"`, 'g'), (_, index) =>
    String(raws[Number(index)]),
  )
}
