// What a table page shows (search, filters, facets, columns, order), and the query every link keeps.
import { type Filter, filterParams } from '../../datasource/filters.js'
import type { ColumnInfo } from '../../datasource/types.js'
import { formatOrder, type Order } from '../../lib/ordering.js'

export interface TableState {
  search: string
  filters: readonly Filter[]
  facets: readonly ColumnInfo[]
  // `_col` and `_nocol` as the address gives them (known slugs, comma lists).
  columnChoice: { col: string; nocol: string }
  order: Order | null
}

export const stateParams = (state: TableState) => ({
  ...filterParams(state.filters),
  search: state.search,
  _facet: state.facets.map((column) => column.slug).join(','),
  _col: state.columnChoice.col,
  _nocol: state.columnChoice.nocol,
  order: formatOrder(state.order),
})
