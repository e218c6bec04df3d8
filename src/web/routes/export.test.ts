import { sql } from 'kysely'
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import type { CsvRecord } from '../../csv/index.js'
import { importNewTable } from '../../datasource/import.js'
import type { TableInfo } from '../../datasource/types.js'
import {
  anonymousBrowser,
  createTestApp,
  signedInBrowser,
  type TestApp,
  tableCells,
} from '../../test/app.js'

let t: TestApp
let scores: TableInfo
beforeAll(async () => {
  t = await createTestApp()
  const { user } = await signedInBrowser(t, 'alice')
  const rows = [
    ['Ann', '10', 'x'],
    ['Bob', '30', ''],
    ['Anna', '20', 'EMPTY'],
    ['Cy', '5', 'note, with "quotes"'],
    ['Andy', '30', 'y'],
    ['Dan', '30', ''],
    ...Array.from({ length: 30 }, (_, i) => [`Zed ${i + 1}`, String(100 + i), 'filler']),
  ]
  async function* records(): AsyncGenerator<CsvRecord> {
    for (const [index, fields] of rows.entries()) yield { line: index + 2, fields }
  }
  const columns = [
    { name: 'Name', type: 'text' as const },
    { name: 'Score', type: 'integer' as const },
    { name: 'Note', type: 'text' as const },
  ]
  scores = (
    await importNewTable(t.database, { ownerId: user.id, name: 'Quiz Scores', columns }, records())
  ).table
  // An import stores blank as NULL; row 3's note becomes the empty string here.
  const note = scores.columns[2]?.id
  await sql`update ${sql.id('userdata', `t${scores.id}`)} set ${sql.id(`c${note}`)} = '' where id = 3`.execute(
    t.database.db,
  )
})
afterAll(() => t.database.close())

const TABLE = '/alice/tables/quiz-scores'
const get = (path: string) => anonymousBrowser(t).request(path)
const lines = (text: string) => text.split('\n').slice(1, -1)

describe('exporting a table', () => {
  it('links to exports that keep the page’s search and sort', async () => {
    const { html } = await anonymousBrowser(t).get(`${TABLE}?search=an&order=-score`)
    expect(html).toContain(`href="${TABLE}/export.csv?search=an&amp;order=-score">CSV</a>`)
    expect(html).toContain(`href="${TABLE}/export.json?search=an&amp;order=-score">JSON file</a>`)
  })

  it('exports CSV in the same order as the table page, as a download named after the table', async () => {
    const query = '?search=an&order=-score'
    const page = tableCells((await anonymousBrowser(t).get(`${TABLE}${query}`)).html)
    const res = await get(`${TABLE}/export.csv${query}`)
    expect(res.status).toBe(200)
    expect(res.headers.get('content-type')).toBe('text/csv; charset=utf-8')
    expect(res.headers.get('content-disposition')).toBe('attachment; filename="quiz-scores.csv"')
    const text = await res.text()
    expect(text.split('\n')[0]).toBe('Name,Score,Note')
    expect(lines(text)).toEqual(['Dan,30,', 'Andy,30,y', 'Anna,20,""', 'Ann,10,x'])
    expect(page.map((row) => row.slice(1).join('|'))).toEqual([
      'Dan|30|',
      'Andy|30|y',
      'Anna|20|',
      'Ann|10|x',
    ])
  })

  it('keeps NULL (an empty field) apart from the empty string ("") and quotes what needs it', async () => {
    const text = await (await get(`${TABLE}/export.csv?order=score`)).text()
    expect(lines(text).slice(0, 6)).toEqual([
      'Cy,5,"note, with ""quotes"""',
      'Ann,10,x',
      'Anna,20,""',
      'Bob,30,',
      'Andy,30,y',
      'Dan,30,',
    ])
  })

  it('exports every row, not one page, in the page order across pages', async () => {
    const shown = [
      ...tableCells((await anonymousBrowser(t).get(`${TABLE}?order=-score`)).html),
      ...tableCells((await anonymousBrowser(t).get(`${TABLE}?order=-score&page=2`)).html),
    ].map((row) => row[0])
    const text = await (await get(`${TABLE}/export.json?order=-score`)).text()
    const rows = JSON.parse(text) as { id: number }[]
    expect(rows).toHaveLength(36)
    expect(rows.map((row) => String(row.id))).toEqual(shown)
    expect(lines(await (await get(`${TABLE}/export.csv`)).text())).toHaveLength(36)
  })

  it('exports JSON objects with typed values, null and "" kept apart', async () => {
    const res = await get(`${TABLE}/export.json?search=an&order=-score`)
    expect(res.headers.get('content-type')).toBe('application/json; charset=utf-8')
    expect(res.headers.get('content-disposition')).toBe('attachment; filename="quiz-scores.json"')
    expect(await res.json()).toEqual([
      { id: 6, name: 'Dan', score: 30, note: null },
      { id: 5, name: 'Andy', score: 30, note: 'y' },
      { id: 3, name: 'Anna', score: 20, note: '' },
      { id: 1, name: 'Ann', score: 10, note: 'x' },
    ])
  })

  it('exports an empty result as a header alone, or an empty array', async () => {
    expect(await (await get(`${TABLE}/export.csv?search=nobody`)).text()).toBe('Name,Score,Note\n')
    expect(await (await get(`${TABLE}/export.json?search=nobody`)).json()).toEqual([])
  })

  it.each([
    ['?_col=score,name', 'Name,Score', ['Dan,30', 'Andy,30', 'Anna,20', 'Ann,10']],
    ['?_col=score&_col=name', 'Name,Score', ['Dan,30', 'Andy,30', 'Anna,20', 'Ann,10']],
    ['?_nocol=name', 'Score,Note', ['30,', '30,y', '20,""', '10,x']],
    ['?_col=note,score&_nocol=score', 'Note', ['', 'y', '""', 'x']],
    // Unknown slugs are ignored; none left shows every column, as on the page.
    ['?_col=nope', 'Name,Score,Note', ['Dan,30,', 'Andy,30,y', 'Anna,20,""', 'Ann,10,x']],
    [
      '?_nocol=name,score,note',
      'Name,Score,Note',
      ['Dan,30,', 'Andy,30,y', 'Anna,20,""', 'Ann,10,x'],
    ],
  ])('exports only the chosen columns (%s) as CSV', async (choice, header, rows) => {
    // The search still reads the hidden Name column.
    const text = await (await get(`${TABLE}/export.csv${choice}&search=an&order=-score`)).text()
    expect(text.split('\n')[0]).toBe(header)
    expect(lines(text)).toEqual(rows)
  })

  it.each([
    [
      '?_col=score,name',
      [
        { id: 6, name: 'Dan', score: 30 },
        { id: 3, name: 'Anna', score: 20 },
      ],
    ],
    [
      '?_nocol=name',
      [
        { id: 6, score: 30, note: null },
        { id: 3, score: 20, note: '' },
      ],
    ],
    [
      '?_nocol=name,score',
      [
        { id: 6, note: null },
        { id: 3, note: '' },
      ],
    ],
  ])('exports only the chosen columns (%s) as JSON', async (choice, rows) => {
    // Filtered and sorted by the hidden Name column.
    const res = await get(`${TABLE}/export.json${choice}&name__in=Dan,Anna&order=-name`)
    expect(await res.json()).toEqual(rows)
  })

  it('links to exports that keep the chosen columns', async () => {
    const { html } = await anonymousBrowser(t).get(`${TABLE}?_nocol=note&order=name`)
    expect(html).toContain(`href="${TABLE}/export.csv?_nocol=note&amp;order=name">CSV</a>`)
  })

  it.each(['export.xml', 'export.CSV', 'export'])('answers 404 for %s', async (name) => {
    expect((await get(`${TABLE}/${name}`)).status).toBe(404)
  })
})

describe('a download stopped midway', () => {
  it('closes its read of the table, so the table can be locked at once', async () => {
    const { user } = await signedInBrowser(t, 'bulk')
    async function* records(): AsyncGenerator<CsvRecord> {
      for (let i = 1; i <= 12_000; i++) yield { line: i + 1, fields: [String(i), 'x'.repeat(60)] }
    }
    const columns = [
      { name: 'N', type: 'integer' as const },
      { name: 'Filler', type: 'text' as const },
    ]
    const { table } = await importNewTable(
      t.database,
      { ownerId: user.id, name: 'Many', columns },
      records(),
    )
    const res = await get('/bulk/tables/many/export.csv')
    const reader = res.body?.getReader()
    expect(new TextDecoder().decode((await reader?.read())?.value)).toBe('N,Filler\n')
    // The file is about 800 kB: the query is still writing it when the reader goes away.
    expect((await reader?.read())?.value?.length).toBeGreaterThan(0)
    await reader?.cancel()
    const lock = () =>
      t.database.db
        .transaction()
        .execute((trx) =>
          sql`lock table ${sql.id('userdata', `t${table.id}`)} in access exclusive mode nowait`.execute(
            trx,
          ),
        )
    await vi.waitFor(lock, { timeout: 5000, interval: 50 })
    if (t.database.kind === 'postgres') {
      const { rows } = await sql<{ n: number }>`select count(*)::int as n from pg_stat_activity
        where datname = current_database() and query ilike 'copy%' and state <> 'idle'`.execute(
        t.database.db,
      )
      expect(rows[0]?.n).toBe(0)
    }
  })
})
