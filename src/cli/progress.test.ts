import { describe, expect, it } from 'vitest'
import {
  createProgressReporter,
  formatDuration,
  formatElapsed,
  formatFailure,
  formatRate,
  formatSummary,
  formatTable,
  plural,
  renderProgress,
} from './progress.js'

describe('renderProgress', () => {
  it.each([
    [
      { rows: 520_000, total: 1_000_000, elapsedMs: 1_666, width: 20 },
      '[##########----------]  52%  520,000 / 1,000,000 rows  312,000 rows/s  ETA 2s',
    ],
    [
      { rows: 0, total: 1_000_000, elapsedMs: 0, width: 20 },
      '[--------------------]   0%  0 / 1,000,000 rows',
    ],
    [
      { rows: 1_000_000, total: 1_000_000, elapsedMs: 3_200, width: 10 },
      '[##########] 100%  1,000,000 / 1,000,000 rows  313,000 rows/s',
    ],
    [
      { rows: 10_000, total: 1_000_000, elapsedMs: 1_000, width: 10 },
      '[----------]   1%  10,000 / 1,000,000 rows  10,000 rows/s  ETA 1m 39s',
    ],
    // More rows than inspected (never expected) stays at 100%; an empty file is complete.
    [{ rows: 12, total: 10, elapsedMs: 1_000, width: 4 }, '[####] 100%  12 / 10 rows  12 rows/s'],
    [{ rows: 0, total: 0, elapsedMs: 5, width: 4 }, '[####] 100%  0 / 0 rows'],
  ])('%o', (state, expected) => {
    expect(renderProgress(state)).toBe(expected)
  })

  it('defaults to a bar 20 wide', () => {
    expect(renderProgress({ rows: 1, total: 2, elapsedMs: 0 })).toMatch(/^\[#{10}-{10}\]/)
  })
})

describe('formatRate', () => {
  it.each([
    [520_000, 1_666, '312,000 rows/s'],
    [1_000_000, 1_000, '1,000,000 rows/s'],
    [1_234_567, 1_000, '1,230,000 rows/s'],
    [999, 1_000, '999 rows/s'],
    [45, 1_000, '45 rows/s'],
    [3, 1_000, '3 rows/s'],
    [1, 4_000, '0.25 rows/s'],
    [10, 0, '– rows/s'],
  ])('%d rows in %d ms → %s', (rows, ms, expected) => {
    expect(formatRate(rows, ms)).toBe(expected)
  })
})

describe('formatDuration and formatElapsed', () => {
  it.each([
    [0, '0s'],
    [1_200, '2s'],
    [59_000, '59s'],
    [125_000, '2m 05s'],
    [3_720_000, '1h 02m'],
  ])('ETA of %d ms is %s', (ms, expected) => {
    expect(formatDuration(ms)).toBe(expected)
  })

  it.each([
    [420, '0.4 s'],
    [3_240, '3.2 s'],
    [125_000, '2 min 5 s'],
  ])('elapsed %d ms is %s', (ms, expected) => {
    expect(formatElapsed(ms)).toBe(expected)
  })
})

function fakeTerminal(tty: boolean, total: number) {
  let time = 0
  const output: string[] = []
  const reporter = createProgressReporter({
    total,
    tty,
    width: 10,
    write: (text) => output.push(text),
    now: () => time,
  })
  return { reporter, output, tick: (ms: number) => (time += ms) }
}

describe('createProgressReporter', () => {
  it('redraws in place on a terminal, at most every 100 ms, and ends the line', () => {
    const { reporter, output, tick } = fakeTerminal(true, 100_000)
    tick(100)
    reporter.update(10_000)
    tick(50)
    reporter.update(20_000) // too soon: skipped
    tick(50)
    reporter.update(30_000)
    tick(100)
    reporter.finish(100_000)
    const last = '\r[##########] 100%  100,000 / 100,000 rows  333,000 rows/s'
    const longer = '\r[###-------]  30%  30,000 / 100,000 rows  150,000 rows/s  ETA 1s'
    expect(output).toEqual([
      '\r[#---------]  10%  10,000 / 100,000 rows  100,000 rows/s  ETA 1s',
      longer,
      // Padded with spaces to cover the longer line it replaces.
      last.padEnd(longer.length),
      '\n',
    ])
  })

  it('prints a line per 10% in a log, and the last line once', () => {
    const { reporter, output, tick } = fakeTerminal(false, 100_000)
    for (let rows = 10_000; rows <= 100_000; rows += 5_000) {
      tick(10)
      reporter.update(rows)
    }
    reporter.finish(100_000)
    expect(output).toHaveLength(10)
    expect(output.every((line) => line.endsWith('\n') && !line.includes('\r'))).toBe(true)
    expect(output[0]).toMatch(/^\[#---------\] {2}10% {2}10,000 \/ 100,000 rows/)
    expect(output[8]).toMatch(/^\[#########-\] {2}90%/)
    expect(output[9]).toMatch(/^\[##########\] 100% {2}100,000 \/ 100,000 rows/)
  })

  it('prints no steps for an empty total, only the end', () => {
    const { reporter, output } = fakeTerminal(false, 0)
    reporter.update(10_000)
    reporter.finish(12)
    expect(output).toEqual(['[##########] 100%  12 / 12 rows\n'])
  })

  it('ends a half-drawn bar before an error, and only then', () => {
    const tty = fakeTerminal(true, 100)
    tty.reporter.abort()
    expect(tty.output).toEqual([])
    tty.reporter.update(10)
    tty.reporter.abort()
    expect(tty.output.at(-1)).toBe('\n')
    const log = fakeTerminal(false, 100)
    log.reporter.update(50)
    log.reporter.abort()
    expect(log.output).toHaveLength(1)
  })
})

describe('formatSummary', () => {
  it.each([
    [
      { rows: 1_000_000, owner: 'demo', slug: 'some-table', elapsedMs: 3_205 },
      'Imported 1,000,000 rows into demo/some-table in 3.2 s (312,000 rows/s)',
    ],
    [
      { rows: 1, owner: 'ann', slug: 't', elapsedMs: 100 },
      'Imported 1 row into ann/t in 0.1 s (10 rows/s)',
    ],
  ])('%o', (summary, expected) => {
    expect(formatSummary(summary)).toBe(expected)
  })
})

describe('formatFailure', () => {
  it.each([
    [
      { line: 12_345, column: 'votes', reason: 'Enter a whole number.' },
      'Import failed at line 12,345, column "votes": Enter a whole number. Nothing was imported.',
    ],
    [
      { line: 4, column: null, reason: 'expected 5 values but found 3' },
      'Import failed at line 4: expected 5 values but found 3. Nothing was imported.',
    ],
    [
      { line: null, column: 'email', reason: 'a value is already used' },
      'Import failed in column "email": a value is already used. Nothing was imported.',
    ],
    [
      { line: null, column: null, reason: 'the file is empty' },
      'Import failed: the file is empty. Nothing was imported.',
    ],
  ])('%o', (details, expected) => {
    expect(formatFailure(details)).toBe(expected)
  })
})

describe('formatTable', () => {
  it('aligns the columns and trims the ends of lines', () => {
    expect(
      formatTable([
        ['CSV header', 'Type', ''],
        ['n', 'integer', '(--type)'],
        ['a long name', 'text', ''],
      ]),
    ).toBe(
      ['  CSV header   Type', '  n            integer  (--type)', '  a long name  text'].join('\n'),
    )
  })
})

describe('plural', () => {
  it.each([
    [0, '0 rows'],
    [1, '1 row'],
    [12_000, '12,000 rows'],
  ])('%d → %s', (n, expected) => {
    expect(plural(n, 'row')).toBe(expected)
  })
})
