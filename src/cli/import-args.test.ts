import { describe, expect, it } from 'vitest'
import { applyTypeOverrides, parseImportArgs } from './import-args.js'

const defaults = {
  file: 'big.csv',
  table: 'Big test',
  owner: 'demo',
  append: false,
  isPublic: true,
  types: [],
  delimiter: undefined,
}

describe('parseImportArgs', () => {
  it.each([
    [['big.csv', '--table', 'Big test'], {}],
    [['--table=Big test', 'big.csv'], {}],
    [['big.csv', '--table', ' Big test ', '--owner', 'ann'], { owner: 'ann' }],
    [['big.csv', '--table', 'Big test', '--append'], { append: true }],
    [['big.csv', '--table', 'Big test', '--private'], { isPublic: false }],
    [['big.csv', '--table', 'Big test', '--delimiter', ';'], { delimiter: ';' }],
    [['big.csv', '--table', 'Big test', '--delimiter', 'tab'], { delimiter: '\t' }],
    [['big.csv', '--table', 'Big test', '--delimiter=\\t'], { delimiter: '\t' }],
    [
      [
        'big.csv',
        '--table',
        'Big test',
        '--type',
        'votes=integer',
        '--type',
        'Day = DATE,n=decimal',
      ],
      {
        types: [
          { column: 'votes', type: 'integer' },
          { column: 'Day', type: 'date' },
          { column: 'n', type: 'decimal' },
        ],
      },
    ],
    [['--table', 'Big test', '--', '--big.csv'], { file: '--big.csv' }],
    [['-', '--table', 'Big test'], { file: '-' }],
  ])('%j', (argv, expected) => {
    expect(parseImportArgs(argv)).toEqual({
      kind: 'options',
      options: { ...defaults, ...expected },
    })
  })

  it.each([[['--help']], [['-h']], [['--table', 't', '--help']], [['x', '--table', 't', '-h']]])(
    'asks for help with %j',
    (argv) => {
      expect(parseImportArgs(argv)).toEqual({ kind: 'help' })
    },
  )

  it.each([
    [[], 'Which file? Give the CSV file as the first argument'],
    [['a.csv', 'b.csv', '--table', 't'], 'One file at a time (got a.csv, b.csv)'],
    [['a.csv'], '--table NAME is required'],
    [['a.csv', '--table', '  '], '--table NAME is required'],
    [['a.csv', '--table', 'x'.repeat(101)], '--table: a name must be at most 100 characters'],
    [['a.csv', '--table'], '--table needs a value'],
    [['a.csv', '--table', 't', '--table', 'u'], '--table is given more than once'],
    [['a.csv', '--table', 't', '--owner', ' '], '--owner needs a username'],
    [['a.csv', '--table', 't', '--force'], 'Unknown option --force'],
    [['a.csv', '--table', 't', '--append=yes'], '--append takes no value'],
    [
      ['a.csv', '--table', 't', '--delimiter', ':'],
      '--delimiter must be one of , ; | tab (got ":")',
    ],
    [
      ['a.csv', '--table', 't', '--type', 'votes'],
      '--type expects COLUMN=TYPE, e.g. votes=integer (got "votes")',
    ],
    [
      ['a.csv', '--table', 't', '--type', 'votes=number'],
      '--type votes=number: unknown type (see --help for the list)',
    ],
    [
      ['a.csv', '--table', 't', '--type', 'party=choice'],
      expect.stringContaining('a choice column needs its choices'),
    ],
    [
      ['a.csv', '--table', 't', '--append', '--type', 'n=integer'],
      expect.stringContaining('--type is for a new table'),
    ],
    [
      ['a.csv', '--table', 't', '--append', '--private'],
      expect.stringContaining('--private is for a new table'),
    ],
  ])('refuses %j', (argv, message) => {
    expect(parseImportArgs(argv)).toEqual({ kind: 'error', message })
  })
})

describe('applyTypeOverrides', () => {
  const header = ['Name', 'first_name', 'Votes']
  const columns = [
    { name: 'Name', type: 'text' as const },
    { name: 'First name', type: 'text' as const },
    { name: 'Votes', type: 'decimal' as const },
  ]

  it('sets types by header, column name or slug, leaving the others', () => {
    const result = applyTypeOverrides(header, columns, [
      { column: 'votes', type: 'integer' },
      { column: 'First Name', type: 'long_text' },
    ])
    expect(result).toEqual({
      ok: true,
      value: [
        { name: 'Name', type: 'text' },
        { name: 'First name', type: 'long_text' },
        { name: 'Votes', type: 'integer' },
      ],
    })
    expect(columns[2]?.type).toBe('decimal')
  })

  it('refuses a column the file does not have', () => {
    expect(applyTypeOverrides(header, columns, [{ column: 'age', type: 'integer' }])).toEqual({
      ok: false,
      message: '--type age: the file has no such column (it has: Name, First name, Votes)',
    })
    expect(applyTypeOverrides(header, columns, [{ column: '!!', type: 'integer' }]).ok).toBe(false)
  })
})
