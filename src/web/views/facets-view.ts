// The facets of a table page: each column's commonest values with counts, each a link that adds
// the filter; and the suggested facets, each a link that adds the facet.
import type { Facet, FacetValue } from '../../datasource/facets.js'
import type { ColumnInfo, TableInfo } from '../../datasource/types.js'
import { tableUrl } from '../urls.js'
import { stateParams, type TableState } from './table-state.js'

const numberFormat = new Intl.NumberFormat('en-GB')

const STATUS_NOTES: Record<Facet['status'], string | null> = {
  exact: null,
  approximate: 'approximate: counted in a sample',
  unavailable: 'unavailable: counting took too long',
}

// The filter a facet value stands for: `party__exact=Labour`, `day__year=2017`, `party__isnull=1`.
export function facetFilter(facet: Facet, value: FacetValue): [string, string] {
  const slug = facet.column.slug
  if (value.value === null) return [`${slug}__isnull`, '1']
  return [`${slug}__${facet.by === 'year' ? 'year' : 'exact'}`, value.value]
}

const label = (facet: Facet, value: FacetValue) =>
  value.value === null
    ? '(empty)'
    : facet.column.type === 'boolean'
      ? value.value === 'true'
        ? 'Yes'
        : 'No'
      : value.value

export function facetsView(
  table: TableInfo,
  state: TableState,
  facets: readonly Facet[],
  suggested: readonly ColumnInfo[],
) {
  const owner = table.owner.username
  const params = stateParams(state)
  const url = (extra: Record<string, string>) =>
    tableUrl(owner, table.slug, { ...params, ...extra })
  const faceted = state.facets
  const withFacets = (columns: readonly ColumnInfo[]) => columns.map((c) => c.slug).join(',')
  const active = new Set(Object.entries(params).map(([key, value]) => `${key}=${value}`))
  return {
    facets: facets.map((facet) => ({
      name: facet.column.name,
      slug: facet.column.slug,
      byYear: facet.by === 'year',
      status: facet.status,
      note: STATUS_NOTES[facet.status],
      more: facet.more,
      removeUrl: url({ _facet: withFacets(faceted.filter((c) => c.id !== facet.column.id)) }),
      values: facet.values.map((value) => {
        const [key, text] = facetFilter(facet, value)
        return {
          label: label(facet, value),
          value: value.value,
          count:
            facet.status === 'approximate'
              ? `~${numberFormat.format(value.count)}`
              : numberFormat.format(value.count),
          exactCount: value.count,
          url: url({ [key]: text }),
          selected: active.has(`${key}=${text}`),
        }
      }),
    })),
    suggested: suggested
      .filter((column) => !faceted.some((c) => c.id === column.id))
      .map((column) => ({
        name: column.name,
        slug: column.slug,
        url: url({ _facet: withFacets([...faceted, column]) }),
      })),
  }
}
