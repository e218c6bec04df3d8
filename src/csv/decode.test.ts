// Tests for encoding detection and streaming decoding.
import { describe, expect, it } from 'vitest'
import { type DecodedStream, decodeStream, detectEncoding, SNIFF_BYTES } from './decode.js'

const utf8 = (text: string) => new TextEncoder().encode(text)
const bytes = (...values: number[]) => new Uint8Array(values)
const BOM = [0xef, 0xbb, 0xbf]
const ynysMonLatin1 = bytes(...utf8('Ynys M'), 0xf4, 0x6e)

async function* source(...chunks: Uint8Array[]): AsyncGenerator<Uint8Array> {
  yield* chunks
}

async function readAll(decoded: DecodedStream): Promise<string> {
  let text = ''
  for await (const chunk of decoded.chunks) text += chunk
  return text
}

describe('detectEncoding', () => {
  it.each([
    ['ASCII', utf8('a,b\n1,2\n'), 'utf-8'],
    ['UTF-8 text', utf8('Ynys Môn,Caerdydd,€'), 'utf-8'],
    ['UTF-8 with a BOM', bytes(...BOM, ...utf8('a,b')), 'utf-8'],
    ['an empty sample', bytes(), 'utf-8'],
    ['Latin-1 "Ynys M\\xf4n"', ynysMonLatin1, 'windows-1252'],
    ['windows-1252 smart quotes', bytes(0x93, 0x61, 0x94), 'windows-1252'],
    ['a sample cut inside a multibyte character', utf8('a,€').subarray(0, 4), 'utf-8'],
    ['a broken sequence before the end', bytes(0x61, 0xe2, 0x82, 0x61), 'windows-1252'],
    ['a byte that never starts a sequence', bytes(0x61, 0xff), 'windows-1252'],
  ])('detects %s', (_name, sample, expected) => {
    expect(detectEncoding(sample)).toBe(expected)
  })

  it('rejects an incomplete final sequence when the sample is the whole input', () => {
    expect(detectEncoding(utf8('a,€').subarray(0, 4), true)).toBe('windows-1252')
  })
})

describe('decodeStream', () => {
  it('strips a UTF-8 BOM', async () => {
    const decoded = await decodeStream(source(bytes(...BOM, ...utf8('a,b\n'))))
    expect(decoded.encoding).toBe('utf-8')
    expect(await readAll(decoded)).toBe('a,b\n')
  })

  it('decodes Latin-1 bytes as windows-1252', async () => {
    const decoded = await decodeStream(source(ynysMonLatin1, bytes(0x0a, 0x80, 0x93, 0x9f, 0x81)))
    expect(decoded.encoding).toBe('windows-1252')
    expect(await readAll(decoded)).toBe('Ynys Môn\n€“Ÿ\x81')
  })

  it('decodes characters split across chunks at any byte', async () => {
    const encoded = utf8('Môn,€,😀\n')
    for (let i = 0; i <= encoded.length; i++) {
      const decoded = await decodeStream(source(encoded.subarray(0, i), encoded.subarray(i)))
      expect(decoded.encoding).toBe('utf-8')
      expect(await readAll(decoded)).toBe('Môn,€,😀\n')
    }
  })

  it('sniffs past the first chunk until it has enough bytes', async () => {
    const chunks = Array.from({ length: 60 }, () => utf8('x'.repeat(1000)))
    const decoded = await decodeStream(source(...chunks, ynysMonLatin1))
    expect(decoded.encoding).toBe('windows-1252')
    expect((await readAll(decoded)).endsWith('Ynys Môn')).toBe(true)
  })

  it('streams the rest without re-checking it', async () => {
    const head = utf8('x'.repeat(SNIFF_BYTES))
    const decoded = await decodeStream(
      source(head, bytes(0x61, 0xe2), bytes(0x82, 0xac), bytes(0xe2)),
    )
    expect(decoded.encoding).toBe('utf-8')
    const chunks: string[] = []
    for await (const chunk of decoded.chunks) chunks.push(chunk)
    expect(chunks.slice(1)).toEqual(['a', '€', '\ufffd'])
  })

  it('yields nothing for an empty source', async () => {
    const decoded = await decodeStream(source())
    expect(decoded.encoding).toBe('utf-8')
    expect(await readAll(decoded)).toBe('')
  })

  it('closes the source when the reader stops early', async () => {
    let closed = false
    async function* endless() {
      try {
        for (;;) yield utf8('y'.repeat(SNIFF_BYTES))
      } finally {
        closed = true
      }
    }
    const decoded = await decodeStream(endless())
    for await (const chunk of decoded.chunks) {
      expect(chunk).toHaveLength(SNIFF_BYTES)
      break
    }
    expect(closed).toBe(true)
  })

  it('accepts sources whose iterator cannot be closed', async () => {
    let calls = 0
    const iterator: AsyncIterator<Uint8Array> = {
      next: async () => ({ done: false, value: utf8(`${calls++}`.padEnd(SNIFF_BYTES)) }),
    }
    const decoded = await decodeStream({ [Symbol.asyncIterator]: () => iterator })
    for await (const chunk of decoded.chunks) {
      expect(chunk.startsWith('0')).toBe(true)
      break
    }
    expect(calls).toBe(1)
  })
})
