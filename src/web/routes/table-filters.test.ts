import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { importNewTable } from '../../datasource/import.js'
import type { ColumnSpec } from '../../datasource/types.js'
import { anonymousBrowser, createTestApp, type TestApp, tableCells } from '../../test/app.js'
import type { Browser } from '../../test/browser.js'
import { createOwner } from '../../test/datasource-fixtures.js'

let t: TestApp
let visitor: Browser
const base = '/ana/tables/results'

beforeAll(async () => {
  t = await createTestApp()
  visitor = anonymousBrowser(t)
  const ownerId = await createOwner(t.database, 'ana')
  const rows = [
    ['Ada', 'Labour', '31000', '2017-06-08'],
    ['Bob', 'Green', '1200', '2017-06-08'],
    ['Cy', 'Labour', '29000', '2019-12-12'],
    ['Di', 'Tory', '40000', ''],
  ]
  async function* records() {
    for (const [index, fields] of rows.entries()) yield { line: index + 2, fields }
  }
  const columns: ColumnSpec[] = [
    { name: 'Candidate', type: 'text' },
    { name: 'Party', type: 'choice', choices: ['Labour', 'Green', 'Tory'] },
    { name: 'Votes', type: 'integer' },
    { name: 'Day', type: 'date' },
  ]
  await importNewTable(t.database, { ownerId, name: 'Results', isPublic: true, columns }, records())
})
afterAll(() => t.database.close())

const names = (html: string) => tableCells(html).map((cells) => cells[1])

describe('filters on the table page', () => {
  it('shows only the matching rows, with a chip that removes each filter', async () => {
    const { res, html } = await visitor.get(`${base}?votes__gt=30000&party__exact=Labour`)
    expect(res.status).toBe(200)
    expect(names(html)).toEqual(['Ada'])
    expect(html).toContain('<span>Votes &gt; 30000</span>')
    expect(html).toContain('<span>Party is Labour</span>')
    expect(html).toContain(
      `href="${base}?party__exact=Labour" aria-label="Remove the filter Votes &gt; 30000"`,
    )
    expect(html).toContain(
      `href="${base}?votes__gt=30000" aria-label="Remove the filter Party is Labour"`,
    )
    expect(html).toContain(`<a class="chips__clear" href="${base}">Clear filters</a>`)
  })

  it('keeps the filters in sort links, the search form and the exports', async () => {
    const html = await (await visitor.request(`${base}?day__year=2017&order=-votes`)).text()
    expect(names(html)).toEqual(['Bob', 'Ada'].reverse())
    expect(html).toContain(`href="${base}?day__year=2017&amp;order=candidate"`)
    expect(html).toContain('<input type="hidden" name="day__year" value="2017">')
    expect(html).toContain(`${base}/export.csv?day__year=2017&amp;order=-votes`)
    const csv = await (
      await visitor.request(`${base}/export.csv?day__year=2017&order=-votes`)
    ).text()
    expect(csv.trim().split('\n').slice(1)).toEqual([
      'Ada,Labour,31000,2017-06-08',
      'Bob,Green,1200,2017-06-08',
    ])
  })

  it.each([
    ['votes__gt=abc', 'Votes: “abc” must be a whole number.'],
    ['party__exact=Whig', 'Party: “Whig” must be one of the listed choices.'],
    ['votes__contains=1', 'Votes: cannot filter by “contains”'],
    ['nope__exact=1', 'No column “nope” to filter on.'],
    ['day__year=%00', 'Day: “\0” is not a year like 2017.'.replace('\0', '&#0;')],
    ['candidate__exact=%3Cscript%3E', null],
  ])('ignores a bad filter (%s) with a visible message, never a 500', async (query, message) => {
    const res = await visitor.request(`${base}?${query}`)
    expect(res.status).toBe(200)
    const html = await res.text()
    if (message) {
      expect(html).toContain('Some filters were left out')
      expect(names(html)).toHaveLength(4)
    } else {
      expect(html).not.toContain('<script>')
      expect(names(html)).toEqual([])
      expect(html).toContain('No rows match these filters')
    }
  })

  it('turns the filter form into the filtered address, without JavaScript', async () => {
    const res = await visitor.request(
      `${base}?order=votes&page=2&_filter_column=votes&_filter_op=gte&_filter_value=29000`,
    )
    expect(res.status).toBe(303)
    expect(res.headers.get('location')).toBe(`${base}?order=votes&votes__gte=29000`)
    const empty = await visitor.request(
      `${base}?_filter_column=day&_filter_op=isnull&_filter_value=`,
    )
    expect(empty.headers.get('location')).toBe(`${base}?day__isnull=1`)
    const missing = await visitor.request(`${base}?_filter_column=votes&_filter_op=gt`)
    expect(missing.headers.get('location')).toBe(`${base}?votes__gt=`)
    const { html: told } = await visitor.get(`${base}?votes__gt=`)
    expect(told).toContain('Votes: give a value (or use “is empty”).')
    const plain = await visitor.request(`${base}?_filter_column=candidate&_filter_value=Ada`)
    expect(plain.headers.get('location')).toBe(`${base}?candidate__exact=Ada`)
    const none = await visitor.request(`${base}?_filter_column=&_filter_op=exact`)
    expect(none.headers.get('location')).toBe(base)
    const html = await (await visitor.request(`${base}?day__isnull=1`)).text()
    expect(names(html)).toEqual(['Di'])
    expect(html).toContain('<span>Day is empty</span>')
  })

  it('answers the filters, what was left out and the filtered count in the JSON form', async () => {
    const res = await visitor.request(
      `${base}?format=json&party__in=Labour,Green&votes__lt=x&order=votes`,
    )
    const body = (await res.json()) as Record<string, unknown>
    expect(body.filters).toEqual([{ column: 'party', operator: 'in', value: 'Labour,Green' }])
    expect(body.filter_problems).toEqual(['Votes: “x” must be a whole number.'])
    expect(body.total).toBe(3)
    expect(
      (body.rows as { values: { candidate: string } }[]).map((row) => row.values.candidate),
    ).toEqual(['Bob', 'Cy', 'Ada'])
    expect((body.links as { self: string }).self).toContain('party__in=Labour%2CGreen')
  })
})

describe('facets on the table page', () => {
  it('shows the facets asked for, each value a link that adds its filter', async () => {
    const { html } = await visitor.get(`${base}?_facet=party&_facet=day&votes__gt=1000`)
    expect(html).toContain('<h2 class="facet__title">Party ')
    expect(html).toContain('<h2 class="facet__title">Day <small>by year</small>')
    expect(html).toContain(
      `<a href="${base}?votes__gt=1000&amp;_facet=party%2Cday&amp;party__exact=Labour">Labour</a> <span class="facet__count">2</span>`,
    )
    expect(html).toContain(
      `<a href="${base}?votes__gt=1000&amp;_facet=party%2Cday&amp;day__year=2017">2017</a> <span class="facet__count">2</span>`,
    )
    expect(html).toContain(
      `<a href="${base}?votes__gt=1000&amp;_facet=party%2Cday&amp;day__isnull=1">(empty)</a>`,
    )
    // Following a value's link filters the rows and marks the value as chosen.
    const { html: chosen } = await visitor.get(
      `${base}?votes__gt=1000&_facet=party,day&party__exact=Labour`,
    )
    expect(names(chosen)).toEqual(['Ada', 'Cy'])
    expect(chosen).toContain('<strong>Labour</strong> <span class="facet__count">2</span>')
    expect(chosen).toContain(
      `href="${base}?votes__gt=1000&amp;party__exact=Labour&amp;_facet=day" aria-label="Hide the facet Party"`,
    )
  })

  it('answers facets and suggestions in the JSON form, ignoring columns that are not there', async () => {
    const res = await visitor.request(`${base}?format=json&_facet=party,nope,candidate`)
    const body = (await res.json()) as {
      facets: {
        column: string
        status: string
        values: { value: string; count: number; url: string }[]
      }[]
      suggested_facets: { column: string; url: string }[]
    }
    expect(body.facets.map((facet) => [facet.column, facet.status])).toEqual([
      ['candidate', 'exact'],
      ['party', 'exact'],
    ])
    expect(body.facets[1]?.values.map((value) => [value.value, value.count])).toEqual([
      ['Labour', 2],
      ['Green', 1],
      ['Tory', 1],
    ])
    expect(body.facets[1]?.values[0]?.url).toBe(
      `http://localhost${base}?_facet=candidate%2Cparty&party__exact=Labour`,
    )
    expect(body.suggested_facets.map((facet) => facet.column)).toContain('day')
    expect(body.suggested_facets.map((facet) => facet.column)).not.toContain('party')
    const days = (await (await visitor.request(`${base}?format=json&_facet=day`)).json()) as {
      facets: { column: string; by: string; values: { value: string | null; count: number }[] }[]
    }
    expect(days.facets[0]?.by).toBe('year')
    expect(days.facets[0]?.values).toHaveLength(3)
  })
})
