// The filter and facet pages the benchmark times, with their targets (issue 11): a selective
// filter sorted and counted, one matching a third of the rows, ranges on integers and dates, a facet.
import type { TableInfo } from '../datasource/types.js'
import type { PageCase } from './cases.js'
import type { HttpClient } from './http.js'

export type FilterCaseKind = 'filter' | 'filter-wide' | 'facet'

// Median milliseconds over HTTP on Postgres at 1,000,000 rows.
export const FILTER_P50_MS: Record<FilterCaseKind, number> = {
  filter: 15,
  'filter-wide': 25,
  facet: 100,
}

export const isFilterCase = (kind: string): kind is FilterCaseKind =>
  Object.hasOwn(FILTER_P50_MS, kind)

type Url = (params?: Record<string, string | number>) => string

function slugOf(table: TableInfo, name: string): string {
  const column = table.columns.find((candidate) => candidate.name === name)
  if (!column) throw new Error(`The bench table has no ${name} column`)
  return column.slug
}

export async function filterCases(
  client: HttpClient,
  table: TableInfo,
  url: Url,
): Promise<PageCase[]> {
  const quantity = slugOf(table, 'Quantity')
  const region = slugOf(table, 'Region')
  const day = slugOf(table, 'Day')
  const price = slugOf(table, 'Price')
  const name = slugOf(table, 'Name')
  // A quantity some row has: about one row in 1,000,000 / 1,000,000 values has each.
  const page = JSON.parse(
    (await client.getOk(url({ format: 'json', order: `-${price}` }))).body,
  ) as {
    rows: { values: Record<string, unknown> }[]
  }
  const value = String(page.rows.find((row) => row.values[quantity] !== null)?.values[quantity])
  // Quantities run from -1,000 to 999,000: below 332,000 is about a third of the rows.
  return [
    {
      name: `Filter ${quantity} = ${value}, by ${price} desc`,
      kind: 'filter',
      path: url({ [`${quantity}__exact`]: value, order: `-${price}` }),
    },
    {
      name: `Filter ${quantity} < 332000 (a third), by ${name}`,
      kind: 'filter-wide',
      path: url({ [`${quantity}__lt`]: 332000, order: name }),
    },
    {
      name: `Range ${quantity} 500000–500099`,
      kind: 'filter',
      path: url({ [`${quantity}__gte`]: 500000, [`${quantity}__lt`]: 500100 }),
    },
    {
      name: `Range ${day} in 2017, by ${day}`,
      kind: 'filter',
      path: url({ [`${day}__year`]: 2017, order: day }),
    },
    { name: `Facet ${region} (8 values)`, kind: 'facet', path: url({ _facet: region }) },
  ]
}
