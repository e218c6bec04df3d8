// Tests for one-call CSV reading (through the public index).
import { describe, expect, it } from 'vitest'
import { type CsvRecord, openCsv } from './index.js'

const utf8 = (text: string) => new TextEncoder().encode(text)

async function* source(...chunks: Uint8Array[]): AsyncGenerator<Uint8Array> {
  yield* chunks
}

async function fieldsOf(records: AsyncIterable<CsvRecord>): Promise<string[][]> {
  const all: string[][] = []
  for await (const record of records) all.push(record.fields)
  return all
}

describe('openCsv', () => {
  it('detects the encoding and delimiter and parses the records', async () => {
    const latin1 = new Uint8Array([...utf8('place;votes\nYnys M'), 0xf4, ...utf8('n;12\n')])
    const csv = await openCsv(source(latin1))
    expect(csv.encoding).toBe('windows-1252')
    expect(csv.delimiter).toBe(';')
    expect(await fieldsOf(csv.records)).toEqual([
      ['place', 'votes'],
      ['Ynys Môn', '12'],
    ])
  })

  it('uses a given delimiter', async () => {
    const csv = await openCsv(source(utf8('a;b|c\n')), { delimiter: '|' })
    expect(csv.delimiter).toBe('|')
    expect(await fieldsOf(csv.records)).toEqual([['a;b', 'c']])
  })

  it('streams records beyond the sniffed text', async () => {
    const chunks = Array.from({ length: 20_000 }, (_, i) => utf8(`${i}\tx\n`))
    const csv = await openCsv(source(...chunks))
    expect(csv.delimiter).toBe('\t')
    const all = await fieldsOf(csv.records)
    expect(all).toHaveLength(20_000)
    expect(all[19_999]).toEqual(['19999', 'x'])
  })

  it('reads an empty source', async () => {
    const csv = await openCsv(source())
    expect(csv).toMatchObject({ encoding: 'utf-8', delimiter: ',' })
    expect(await fieldsOf(csv.records)).toEqual([])
  })

  it.each([
    ['in the sniffed text', 1],
    ['after the sniffed text', 70_000],
  ])('closes the source when the reader stops %s', async (_name, stopAfter) => {
    let closed = false
    async function* endless() {
      try {
        for (let i = 0; ; i++) yield utf8(`${i},row\n`.repeat(1000))
      } finally {
        closed = true
      }
    }
    const csv = await openCsv(endless())
    let count = 0
    for await (const _record of csv.records) if (++count === stopAfter) break
    expect(closed).toBe(true)
  })
})
