// The filter bar: a GET form (column, operator, value) that works without JavaScript, and each
// active filter as a chip whose link removes it.
import {
  columnOperators,
  FILTER_OPERATORS,
  type Filter,
  filterParams,
  OPERATOR_LABELS,
  takesNoValue,
} from '../../datasource/filters.js'
import type { TableInfo } from '../../datasource/types.js'
import { tableUrl } from '../urls.js'
import { stateParams, type TableState } from './table-state.js'

// The form's own fields; the table page turns them into `slug__operator=value` and redirects.
export const FORM_FIELDS = {
  column: '_filter_column',
  operator: '_filter_op',
  value: '_filter_value',
} as const

const chipLabel = (filter: Filter) =>
  takesNoValue(filter.operator)
    ? `${filter.column.name} ${OPERATOR_LABELS[filter.operator]}`
    : `${filter.column.name} ${OPERATOR_LABELS[filter.operator]} ${filter.raw.trim()}`

export function filterBarView(table: TableInfo, state: TableState, problems: string[]) {
  const owner = table.owner.username
  const { filters } = state
  // Everything but the filters.
  const keep = stateParams({ ...state, filters: [] })
  return {
    action: tableUrl(owner, table.slug),
    // The search, order, facets and filters so far ride along as hidden fields.
    hidden: Object.entries(stateParams(state))
      .filter(([, value]) => value)
      .map(([name, value]) => ({ name, value: String(value) })),
    fields: FORM_FIELDS,
    columns: table.columns.map((column) => ({
      slug: column.slug,
      name: column.name,
      operators: columnOperators(column).join(' '),
    })),
    operators: FILTER_OPERATORS.map((operator) => ({
      value: operator,
      label: OPERATOR_LABELS[operator],
    })),
    chips: filters.map((filter) => ({
      label: chipLabel(filter),
      removeUrl: tableUrl(owner, table.slug, {
        ...filterParams(filters.filter((other) => other !== filter)),
        ...keep,
      }),
    })),
    clearUrl: filters.length > 1 ? tableUrl(owner, table.slug, keep) : null,
    problems,
  }
}

// `?_filter_column=votes&_filter_op=gt&_filter_value=3` (the form without JavaScript) → the
// address with `votes__gt=3` added, page 1; null when the query has no filter form in it.
export function filterFormTarget(
  table: TableInfo,
  query: Record<string, string | undefined>,
): string | null {
  const slug = query[FORM_FIELDS.column]
  if (slug === undefined) return null
  const params = new URLSearchParams()
  for (const [key, value] of Object.entries(query)) {
    if (value === undefined || value === '' || key.startsWith('_filter_')) continue
    // A new filter starts again at page 1.
    if (['page', 'after', 'before', 'at'].includes(key)) continue
    params.set(key, value)
  }
  const operator = query[FORM_FIELDS.operator] || 'exact'
  const value = query[FORM_FIELDS.value] ?? ''
  // An unknown column or operator, or a missing value, goes through as given: the page says why
  // it was left out.
  if (slug) {
    params.set(`${slug}__${operator}`, takesNoValue(operator) ? '1' : value)
  }
  const text = params.toString()
  const base = tableUrl(table.owner.username, table.slug)
  return text ? `${base}?${text}` : base
}
