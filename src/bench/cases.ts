// The URLs the benchmark times, found the way a visitor finds them: from the pages themselves.
import type { TableInfo } from '../datasource/types.js'
import { tableUrl } from '../web/urls.js'
import { COMMON_WORD, RARE_WORD } from './data.js'
import { type FilterCaseKind, filterCases } from './filter-cases.js'
import { type HttpClient, lastPageLink, linkWith } from './http.js'

// table-page: the HTML table page; jump: a far page by number; json: ?format=json; row: detail.
export type CaseKind = 'table-page' | 'jump' | 'json' | 'row' | FilterCaseKind

export interface PageCase {
  name: string
  kind: CaseKind
  path: string
}

export interface Discovered {
  cases: PageCase[]
  page1: string
  page1Bytes: number
  exportPath: string
  pageCount: number
}

// At 1,000,000 rows (40,000 pages) these are the pages 10,000 and 20,000.
export const deepPage = (pages: number) => Math.max(1, Math.min(10_000, Math.floor(pages / 4)))
export const jumpPage = (pages: number) => Math.max(1, Math.min(20_000, Math.floor(pages / 2)))

function required<T>(value: T | null | undefined, what: string): T {
  if (value === null || value === undefined) throw new Error(`Could not find ${what}`)
  return value
}

export async function discoverCases(client: HttpClient, table: TableInfo): Promise<Discovered> {
  const owner = table.owner.username
  const url = (params?: Record<string, string | number>) => tableUrl(owner, table.slug, params)
  const page1 = url()
  const first = await client.getOk(page1)
  const json = JSON.parse((await client.getOk(url({ format: 'json' }))).body) as {
    page_count: number
  }
  const pages = json.page_count
  const deep = deepPage(pages)
  const deepHtml = (await client.getOk(url({ page: deep }))).body
  const rowPattern = new RegExp(`href="${page1}/(\\d+)"`)
  const rowId = required(rowPattern.exec(deepHtml)?.[1], `a row link on page ${deep}`)
  const quantity = required(
    table.columns.find((column) => column.type === 'integer'),
    'an integer column',
  )

  const cases: PageCase[] = [{ name: 'Page 1', kind: 'table-page', path: page1 }]
  for (const column of table.columns) {
    for (const descending of [false, true]) {
      cases.push({
        name: `Sort by ${column.name} ${descending ? 'desc' : 'asc'}`,
        kind: 'table-page',
        path: url({ order: `${descending ? '-' : ''}${column.slug}` }),
      })
    }
  }
  cases.push(
    {
      name: `Next from page ${deep}`,
      kind: 'table-page',
      path: required(linkWith(deepHtml, /\srel="next"/), `the Next link of page ${deep}`),
    },
    {
      name: `Last page (${pages})`,
      kind: 'table-page',
      path: required(lastPageLink(first.body), 'the last page link'),
    },
    { name: `Jump to page ${jumpPage(pages)}`, kind: 'jump', path: url({ page: jumpPage(pages) }) },
    { name: `Search rare “${RARE_WORD}”`, kind: 'table-page', path: url({ search: RARE_WORD }) },
    {
      name: `Search common “${COMMON_WORD}”, by ${quantity.name}`,
      kind: 'table-page',
      path: url({ search: COMMON_WORD, order: quantity.slug }),
    },
    { name: `Row ${rowId} detail`, kind: 'row', path: `${page1}/${rowId}` },
    { name: 'Page 1 as JSON', kind: 'json', path: url({ format: 'json' }) },
    ...(await filterCases(client, table, url)),
  )
  return {
    cases,
    page1,
    page1Bytes: Buffer.byteLength(first.body),
    exportPath: linkWith(first.body, /\shref="[^"]*\/export\.csv/) ?? `${page1}/export.csv`,
    pageCount: pages,
  }
}
