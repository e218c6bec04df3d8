import createClient from 'openapi-fetch'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
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
