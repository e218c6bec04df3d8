// Saved views as tabs above a table's rows: "All rows", then each view; the current one marked.
import type { TableView, ViewState } from '../../datasource/table-views.js'
import type { TableInfo } from '../../datasource/types.js'
import { tableUrl } from '../urls.js'

// Two states are the same view when they hold the same things, whatever the order of filters.
const canonical = (state: ViewState) =>
  JSON.stringify({
    search: state.search,
    order: state.order,
    filters: [...state.filters].sort((a, b) =>
      `${a.column}${a.operator}`.localeCompare(`${b.column}${b.operator}`),
    ),
    facets: [...state.facets].sort((a, b) => a - b),
    columns: state.columns,
  })

export function viewTabsView(
  table: TableInfo,
  views: readonly TableView[],
  current: ViewState,
  open: TableView | null,
) {
  const base = tableUrl(table.owner.username, table.slug)
  const urlOf = (view: TableView) => `${base}/views/${encodeURIComponent(view.slug)}`
  const now = canonical(current)
  const isCurrent = (view: TableView) =>
    open ? open.id === view.id : canonical(view.state) === now
  const anyCurrent = views.some(isCurrent)
  const empty: ViewState = { search: '', order: null, filters: [], facets: [], columns: null }
  return {
    urlOf,
    tabs: [
      { label: 'All rows', url: base, current: !anyCurrent && now === canonical(empty) },
      ...views.map((view) => ({ label: view.name, url: urlOf(view), current: isCurrent(view) })),
    ],
    show: views.length > 0,
  }
}
