import createClient from 'openapi-fetch'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { CsvRecord } from '../csv/index.js'
import { importNewTable } from '../datasource/import.js'
import { apiRequest, tokenFor } from '../test/api.js'
import { createTestApp, signedInBrowser, type TestApp } from '../test/app.js'
import { birdTable } from '../test/tables.js'
import type { paths } from './client/schema.js'

let t: TestApp
let token: string
beforeAll(async () => {
  t = await createTestApp()
  const { user } = await signedInBrowser(t, 'ada')
  token = await tokenFor(t, user.id, ['read'])
  // Wren 3, Robin 5, then Bird 0 … Bird 29, each 1.
  await birdTable(t, user.id, 'Birds', { extra: 30 })
  async function* sightings(): AsyncGenerator<CsvRecord> {
    yield { line: 2, fields: ['Wren', 'In the hedge', '2017-05-01', '{"a":1}'] }
    yield { line: 3, fields: ['Wren', '', '2017-06-01', ''] }
    yield { line: 4, fields: ['Robin', 'On the fence', '2018-01-02', ''] }
  }
  await importNewTable(
    t.database,
    {
      ownerId: user.id,
      name: 'Sightings',
      isPublic: false,
      columns: [
        { name: 'Bird', type: 'text' },
        { name: 'Notes', type: 'long_text' },
        { name: 'Day', type: 'date' },
        { name: 'Extra', type: 'json' },
      ],
    },
    sightings(),
  )
})
afterAll(() => t.database.close())

const rows = async (query: string) => {
  const res = await apiRequest(t, 'GET', `/ada/tables/birds/rows?${query}`, { token })
  return { res, body: (await res.json()) as Record<string, unknown> }
}
const birds = (body: Record<string, unknown>) =>
  (body.rows as { values: { bird: string } }[]).map((row) => row.values.bird)

describe('filters in the API', () => {
  it('lists only the matching rows, says which filters hold and counts them', async () => {
    const { res, body } = await rows('count__gt=1&order=-count')
    expect(res.status).toBe(200)
    expect(birds(body)).toEqual(['Robin', 'Wren'])
    expect(body.total).toBe(2)
    expect(body.filters).toEqual([{ column: 'count', operator: 'gt', value: '1' }])
  })

  it('keeps the filters in the next link', async () => {
    const { res, body } = await rows('bird__startswith=bird&limit=20')
    expect(body.total).toBe(30)
    const next = new URL(String(body.next))
    expect(next.searchParams.get('bird__startswith')).toBe('bird')
    expect(res.headers.get('link')).toContain('bird__startswith=bird')
    const after = await rows(next.search.slice(1))
    expect(birds(after.body)).toHaveLength(10)
    expect(after.body.next).toBeNull()
  })

  it.each([
    ['count__gt=many', 'count__gt', 'Count: “many” must be a whole number.'],
    ['count__contains=1', 'count__contains', 'Count: cannot filter by “contains”'],
    ['wings__exact=2', 'wings__exact', 'No column “wings” to filter on.'],
    ['bird__in=%5B1', 'bird__in', 'Bird: “[1” is not a list (use a,b,c or a JSON array).'],
  ])('refuses %s with a 400 naming the parameter', async (query, key, message) => {
    const { res, body } = await rows(query)
    expect(res.status).toBe(400)
    expect(res.headers.get('content-type')).toContain('application/problem+json')
    const errors = body.errors as { pointer: string; detail: string }[]
    expect(errors.map((error) => error.pointer)).toEqual([`#/${key}`])
    expect(errors[0]?.detail).toContain(message)
  })

  it('exports only the filtered rows', async () => {
    const res = await apiRequest(t, 'GET', '/ada/tables/birds/export.csv?count__gt=1&order=bird', {
      token,
    })
    expect(res.status).toBe(200)
    expect((await res.text()).trim().split('\n')).toEqual(['Bird,Count', 'Robin,5', 'Wren,3'])
  })

  it('exports only the chosen columns', async () => {
    const res = await apiRequest(
      t,
      'GET',
      '/ada/tables/birds/export.json?count__gt=1&order=bird&_nocol=count',
      { token },
    )
    expect(await res.json()).toEqual([
      { id: 2, bird: 'Robin' },
      { id: 1, bird: 'Wren' },
    ])
  })

  it.each([
    ['order=wings', 'order', 'Cannot order by “wings”: no such column.'],
    ['after=nonsense', 'after', 'The `after` cursor is not one this API gave.'],
    ['limit=0', 'limit', 'The query has invalid values.'],
    [
      `order=count&after=${Buffer.from('["many",1]').toString('base64url')}`,
      'after',
      'The `after` cursor does not fit this order.',
    ],
  ])('refuses %s with a 400 that says why', async (query, field, detail) => {
    const { res, body } = await rows(query)
    expect(res.status).toBe(400)
    expect(body.detail).toBe(detail)
    expect((body.errors as { pointer: string }[]).map((error) => error.pointer)).toEqual([
      `#/${field}`,
    ])
  })

  it('takes filters from the typed client as an object of parameters', async () => {
    const api = createClient<paths>({
      baseUrl: 'http://localhost/api/v1',
      headers: { Authorization: `Bearer ${token}` },
      fetch: (request) => Promise.resolve(t.app.request(request)),
    })
    const page = await api.GET('/{username}/tables/{table}/rows', {
      params: {
        path: { username: 'ada', table: 'birds' },
        query: { filters: { bird__in: 'Wren,Robin' }, order: 'bird' },
      },
    })
    expect(page.data?.rows.map((row) => row.values.bird)).toEqual(['Robin', 'Wren'])
  })
})

describe('facets in the API', () => {
  const sightings = async (query: string) => {
    const res = await apiRequest(t, 'GET', `/ada/tables/sightings/rows?${query}`, { token })
    return { res, body: (await res.json()) as Record<string, unknown> }
  }

  it('answers no facets unless asked', async () => {
    const { body } = await rows('limit=1')
    expect(body.facets).toEqual([])
  })

  it('counts the values of the columns asked for, among the matching rows', async () => {
    const { res, body } = await rows('_facet=count&bird__not=Wren&limit=1')
    expect(res.status).toBe(200)
    expect(body.facets).toEqual([
      {
        column: 'count',
        by: 'value',
        status: 'exact',
        more: false,
        values: [
          { value: '1', count: 30 },
          { value: '5', count: 1 },
        ],
      },
    ])
    // The next page asks for the same facets.
    expect(new URL(String(body.next)).searchParams.get('_facet')).toBe('count')
  })

  it.each([
    ['repeated', '_facet=bird&_facet=day'],
    ['as a comma list', '_facet=bird,day'],
    ['once each', '_facet=bird,day&_facet=bird'],
  ])('takes facets %s, dates by year', async (_how, query) => {
    const { res, body } = await sightings(query)
    expect(res.status).toBe(200)
    const facets = body.facets as { column: string; by: string; values: unknown[] }[]
    expect(facets.map((facet) => [facet.column, facet.by])).toEqual([
      ['bird', 'value'],
      ['day', 'year'],
    ])
    expect(facets[0]?.values).toEqual([
      { value: 'Wren', count: 2 },
      { value: 'Robin', count: 1 },
    ])
    expect(facets[1]?.values).toEqual([
      { value: '2017', count: 2 },
      { value: '2018', count: 1 },
    ])
  })

  it.each([
    ['_facet=wings', 'No column “wings” to facet.'],
    ['_facet=bird,notes', 'Notes: a long_text column cannot be faceted.'],
    ['_facet=extra', 'Extra: a json column cannot be faceted.'],
    [`_facet=${'x'.repeat(500)}`, `No column “${'x'.repeat(100)}” to facet.`],
  ])('refuses %s with a 400 naming _facet', async (query, detail) => {
    const { res, body } = await sightings(query)
    expect(res.status).toBe(400)
    expect(res.headers.get('content-type')).toContain('application/problem+json')
    expect(body.detail).toBe(detail)
    expect((body.errors as { pointer: string }[]).map((error) => error.pointer)).toEqual([
      '#/_facet',
    ])
  })

  it('refuses more than ten facets', async () => {
    const slugs = Array.from({ length: 11 }, (_, n) => `n${n}`)
    async function* none(): AsyncGenerator<CsvRecord> {}
    await importNewTable(
      t.database,
      {
        ownerId: (await t.database.db.selectFrom('users').select('id').executeTakeFirstOrThrow())
          .id,
        name: 'Wide',
        isPublic: true,
        columns: slugs.map((slug) => ({ name: slug, type: 'integer' as const })),
      },
      none(),
    )
    const ten = await apiRequest(
      t,
      'GET',
      `/ada/tables/wide/rows?_facet=${slugs.slice(1).join(',')}`,
      {
        token,
      },
    )
    expect(((await ten.json()) as { facets: unknown[] }).facets).toHaveLength(10)
    const res = await apiRequest(t, 'GET', `/ada/tables/wide/rows?_facet=${slugs.join(',')}`, {
      token,
    })
    expect(res.status).toBe(400)
    const body = (await res.json()) as { detail: string; errors: { pointer: string }[] }
    expect(body.detail).toBe('At most 10 facets at once.')
    expect(body.errors.map((error) => error.pointer)).toEqual(['#/_facet'])
  })

  it('gives facets to the typed client', async () => {
    const api = createClient<paths>({
      baseUrl: 'http://localhost/api/v1',
      headers: { Authorization: `Bearer ${token}` },
      fetch: (request) => Promise.resolve(t.app.request(request)),
    })
    const page = await api.GET('/{username}/tables/{table}/rows', {
      params: {
        path: { username: 'ada', table: 'sightings' },
        query: { _facet: ['bird', 'day'], search: 'hedge' },
      },
    })
    expect(page.data?.facets.map((facet) => [facet.column, facet.values])).toEqual([
      ['bird', [{ value: 'Wren', count: 1 }]],
      ['day', [{ value: '2017', count: 1 }]],
    ])
  })
})
