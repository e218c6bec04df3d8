// What a table page shows (search, filters, facets, order), and the query that every link keeps.
import { type Filter, filterParams } from '../../datasource/filters.js'
import type { ColumnInfo } from '../../datasource/types.js'
import { formatOrder, type Order } from '../../lib/ordering.js'

export interface TableState {
  search: string
  filters?: readonly Filter[]
  facets?: readonly ColumnInfo[]
  order: Order | null
}

export const stateParams = (state: TableState) => ({
  ...filterParams(state.filters ?? []),
  search: state.search,
  _facet: (state.facets ?? []).map((column) => column.slug).join(','),
  order: formatOrder(state.order),
})
