// Tests for the streaming CSV parser.
import { describe, expect, it } from 'vitest'
import {
  type CsvRecord,
  CsvSyntaxError,
  CsvTokenizer,
  parseCsv,
  parseCsvBatches,
  parseCsvText,
} from './parse.js'

const comma = { delimiter: ',' }

async function collect(chunks: Iterable<string> | AsyncIterable<string>): Promise<CsvRecord[]> {
  const records: CsvRecord[] = []
  for await (const record of parseCsv(chunks, comma)) records.push(record)
  return records
}

const fields = (text: string, delimiter = ',') =>
  parseCsvText(text, { delimiter }).map((record) => record.fields)

// Quotes, doubled quotes, every newline style, newlines inside quotes, blank lines,
// delimiter-only lines, text after a closing quote and no final newline.
const tricky =
  'id,"na,me"\r\n1,"say ""hi"""\r\n\r\n2,"multi\r\nline\nfield"\r3,\n\n,\r\n"",""""\nlast,"x"y'

const trickyRecords: CsvRecord[] = [
  { line: 1, fields: ['id', 'na,me'] },
  { line: 2, fields: ['1', 'say "hi"'] },
  { line: 4, fields: ['2', 'multi\r\nline\nfield'] },
  { line: 7, fields: ['3', ''] },
  { line: 9, fields: ['', ''] },
  { line: 10, fields: ['', '"'] },
  { line: 11, fields: ['last', 'xy'] },
]

describe('parseCsvText', () => {
  it.each([
    ['a simple record', 'a,b,c', [['a', 'b', 'c']]],
    [
      'records separated by LF',
      'a,b\nc,d\n',
      [
        ['a', 'b'],
        ['c', 'd'],
      ],
    ],
    [
      'records separated by CRLF',
      'a,b\r\nc,d\r\n',
      [
        ['a', 'b'],
        ['c', 'd'],
      ],
    ],
    [
      'records separated by CR',
      'a,b\rc,d\r',
      [
        ['a', 'b'],
        ['c', 'd'],
      ],
    ],
    ['a delimiter inside quotes', '"a,b",c', [['a,b', 'c']]],
    ['doubled quotes', '"say ""hi""",x', [['say "hi"', 'x']]],
    ['newlines inside quotes', '"a\nb\r\nc\rd",e', [['a\nb\r\nc\rd', 'e']]],
    ['surrounding whitespace', ' a , b ', [[' a ', ' b ']]],
    ['a quote inside an unquoted field', 'a"b,c', [['a"b', 'c']]],
    ['text after a closing quote', '"ab"cd,e', [['abcd', 'e']]],
    ['a quoted empty field on its own line', '""\n', [['']]],
    ['a line of only delimiters', ',,\n', [['', '', '']]],
    ['a trailing delimiter at the end of input', 'a,', [['a', '']]],
    ['a quoted field at the end of input', 'a,"b"', [['a', 'b']]],
    ['ragged records', 'a\nb,c,d', [['a'], ['b', 'c', 'd']]],
    ['no records in empty input', '', []],
    ['no records in blank lines', '\n\r\n\r', []],
  ])('parses %s', (_name, text, expected) => {
    expect(fields(text)).toEqual(expected)
  })

  it.each([
    [';', 'a;"b;c";d,e', [['a', 'b;c', 'd,e']]],
    ['\t', 'a\t"b\tc"\t', [['a', 'b\tc', '']]],
    [
      '|',
      'a|b\nc|d',
      [
        ['a', 'b'],
        ['c', 'd'],
      ],
    ],
  ])('splits on the %j delimiter', (delimiter, text, expected) => {
    expect(fields(text, delimiter)).toEqual(expected)
  })

  it('skips blank lines and numbers records by their starting line', () => {
    const records = parseCsvText('a\n\n\nb\r\n\r\nc\r\rd', comma)
    expect(records.map((record) => record.line)).toEqual([1, 4, 6, 8])
  })

  it('counts lines inside multi-line quoted fields', () => {
    expect(parseCsvText(tricky, comma)).toEqual(trickyRecords)
  })

  it('throws CsvSyntaxError citing the line of an unterminated quote', () => {
    const parse = () => parseCsvText('a,b\nc,"d\n\ne', comma)
    expect(parse).toThrow(CsvSyntaxError)
    expect(parse).toThrow('A quoted value has no closing quote (line 2)')
    try {
      parseCsvText('x,"a\nb",c,"open\n', comma)
    } catch (error) {
      expect(error).toBeInstanceOf(CsvSyntaxError)
      expect((error as CsvSyntaxError).line).toBe(2)
      expect((error as CsvSyntaxError).name).toBe('CsvSyntaxError')
    }
    expect.assertions(5)
  })

  it.each(['', ',,', '"', '\n', '\r'])('rejects the delimiter %j', (delimiter) => {
    expect(() => parseCsvText('a', { delimiter })).toThrow(RangeError)
  })
})

describe('parseCsv', () => {
  it('gives the same records wherever a chunk boundary falls', async () => {
    for (let i = 0; i <= tricky.length; i++) {
      expect(await collect([tricky.slice(0, i), tricky.slice(i)])).toEqual(trickyRecords)
    }
  })

  it('gives the same records for every pair of chunk boundaries', async () => {
    for (let i = 0; i <= tricky.length; i++) {
      for (let j = i; j <= tricky.length; j++) {
        const chunks = [tricky.slice(0, i), tricky.slice(i, j), tricky.slice(j)]
        expect(await collect(chunks)).toEqual(trickyRecords)
      }
    }
  })

  it('gives the same records when fed one character at a time', async () => {
    expect(await collect(tricky.split(''))).toEqual(trickyRecords)
  })

  it('reads async iterables', async () => {
    async function* source() {
      yield 'a,"b'
      yield ''
      yield '""c"\n'
    }
    expect(await collect(source())).toEqual([{ line: 1, fields: ['a', 'b"c'] }])
  })

  it('throws CsvSyntaxError for a quote left open in the last chunk', async () => {
    await expect(collect(['a\n', '"b,c'])).rejects.toThrow(
      new CsvSyntaxError('A quoted value has no closing quote', 2),
    )
  })
})

describe('parseCsvBatches', () => {
  it('yields the records of each chunk together', async () => {
    const batches: CsvRecord[][] = []
    for await (const batch of parseCsvBatches(['a\nb\nc', '', 'd\ne'], comma)) batches.push(batch)
    expect(batches.map((batch) => batch.map((record) => record.fields[0]))).toEqual([
      ['a', 'b'],
      ['cd'],
      ['e'],
    ])
  })

  it('yields nothing for empty input', async () => {
    const batches: CsvRecord[][] = []
    for await (const batch of parseCsvBatches([], comma)) batches.push(batch)
    expect(batches).toEqual([])
  })
})

describe('limits', () => {
  const limited = { delimiter: ',', maxFieldChars: 5, maxFields: 3 }
  const refusal = (text: string | string[]) => {
    try {
      const tokenizer = new CsvTokenizer(',', limited)
      const out: CsvRecord[] = []
      for (const chunk of typeof text === 'string' ? [text] : text) tokenizer.push(chunk, out)
      tokenizer.finish(out)
      return out.map((record) => record.fields)
    } catch (error) {
      return (error as Error).message
    }
  }

  it.each([
    ['a value in quotes', 'a\n"123456"', 'A value is longer than 5 characters (line 2)'],
    ['a value without', 'a\n123456,b', 'A value is longer than 5 characters (line 2)'],
    ['a value at the end', 'a\nb,123456', 'A value is longer than 5 characters (line 2)'],
    [
      'a value across chunks',
      ['a\n123', '4', '56'],
      'A value is longer than 5 characters (line 2)',
    ],
    ['a wide row', 'a,b,c,d\n', 'A row has more than 3 values (line 1)'],
    ['a wide last row', 'a\n1,2,3,4', 'A row has more than 3 values (line 2)'],
  ])('refuse %s', (_, text, message) => {
    expect(refusal(text)).toBe(message)
  })

  it('let values and rows up to them through', () => {
    expect(refusal('"12345",b,c\n12345')).toEqual([['12345', 'b', 'c'], ['12345']])
    expect(parseCsvText('x'.repeat(6), comma)).toEqual([{ line: 1, fields: ['x'.repeat(6)] }])
  })
})
