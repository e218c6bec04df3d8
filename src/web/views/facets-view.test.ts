import { describe, expect, it } from 'vitest'
import type { Facet } from '../../datasource/facets.js'
import type { ColumnInfo, TableInfo } from '../../datasource/types.js'
import { hideColumnUrl } from './column-chooser.js'
import { facetsView } from './facets-view.js'

const column = (id: number, slug: string, type: ColumnInfo['type']): ColumnInfo => ({
  id,
  name: slug.toUpperCase(),
  slug,
  type,
  position: id,
  required: false,
  unique: false,
  defaultValue: null,
  choices: null,
})
const ELECTED = column(1, 'elected', 'boolean')
const DAY = column(2, 'day', 'date')
const NAME = column(3, 'name', 'text')
const TABLE = {
  owner: { id: 1, username: 'ana', name: null, avatarUrl: null },
  slug: 'results',
  columns: [ELECTED, DAY, NAME],
} as TableInfo

const NO_STATE = {
  search: '',
  order: null,
  filters: [],
  facets: [],
  columnChoice: { col: '', nocol: '' },
}

describe('facetsView', () => {
  it('labels yes/no values, links each value to its filter and marks estimates', () => {
    const facets: Facet[] = [
      {
        column: ELECTED,
        by: 'value',
        status: 'approximate',
        more: false,
        values: [
          { value: 'true', count: 1200 },
          { value: 'false', count: 30 },
          { value: null, count: 2 },
        ],
      },
      { column: DAY, by: 'year', status: 'unavailable', more: false, values: [] },
    ]
    const view = facetsView(TABLE, { ...NO_STATE, facets: [ELECTED, DAY] }, facets, [ELECTED, NAME])
    const [elected, day] = view.facets
    expect(elected?.values.map((v) => [v.label, v.count, v.url])).toEqual([
      ['Yes', '~1,200', '/ana/tables/results?_facet=elected%2Cday&elected__exact=true'],
      ['No', '~30', '/ana/tables/results?_facet=elected%2Cday&elected__exact=false'],
      ['(empty)', '~2', '/ana/tables/results?_facet=elected%2Cday&elected__isnull=1'],
    ])
    expect(elected?.note).toBe('approximate: counted in a sample')
    expect(elected?.removeUrl).toBe('/ana/tables/results?_facet=day')
    expect(day?.note).toBe('unavailable: counting took too long')
    expect(day?.byYear).toBe(true)
    expect(view.suggested).toEqual([
      { name: 'NAME', slug: 'name', url: '/ana/tables/results?_facet=elected%2Cday%2Cname' },
    ])
  })

  it('suggests facets on a page that has none', () => {
    const view = facetsView(TABLE, NO_STATE, [], [NAME])
    expect(view.suggested.map((s) => s.url)).toEqual(['/ana/tables/results?_facet=name'])
  })
})

describe('hideColumnUrl', () => {
  const visible = [{ column: ELECTED }, { column: DAY }]
  it('takes a column out of _col when the address chose the columns', () => {
    const state = { ...NO_STATE, columnChoice: { col: 'elected,day', nocol: '' } }
    expect(hideColumnUrl(TABLE, state, visible, DAY)).toBe('/ana/tables/results?_col=elected')
  })

  it('adds it to _nocol otherwise', () => {
    expect(hideColumnUrl(TABLE, NO_STATE, visible, DAY)).toBe('/ana/tables/results?_nocol=day')
  })
})
