// Link columns through the API: made only to the owner's tables, written as ids (unknown ones
// refused naming the field), and the two behaviours on delete, on whichever driver the tests run.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { sessionActor } from '../application/actor.js'
import { removeRows } from '../application/rows.js'
import { findTable } from '../datasource/catalog.js'
import type { TableInfo } from '../datasource/types.js'
import { apiRequest, tokenFor } from '../test/api.js'
import {
  anonymousBrowser,
  createTestApp,
  signedInBrowser,
  type TestApp,
  tableCells,
} from '../test/app.js'
import { birdTable } from '../test/tables.js'

let t: TestApp
let token: string
let ada: { id: number; username: string }
beforeAll(async () => {
  t = await createTestApp()
  ada = (await signedInBrowser(t, 'ada')).user
  token = await tokenFor(t, ada.id, ['read', 'write', 'schema'])
  const grace = (await signedInBrowser(t, 'grace')).user
  await birdTable(t, grace.id, 'Theirs')
  // Birds: 1 Wren, 2 Robin.
  await birdTable(t, ada.id, 'Birds')
})
afterAll(() => t.database.close())

const call = async (method: string, path: string, body?: unknown) => {
  const res = await apiRequest(t, method, `/ada${path}`, { token, body })
  const text = await res.text()
  // biome-ignore lint/suspicious/noExplicitAny: answers of several shapes, read field by field
  return { status: res.status, body: (text ? JSON.parse(text) : null) as Record<string, any> }
}

let tables = 0
// A table of sightings with a link to Birds.
async function sightings(onDelete: 'clear' | 'refuse', required = false) {
  const name = `Sightings ${++tables}`
  const made = await call('POST', '/tables', {
    name,
    columns: [
      { name: 'Place', type: 'text' },
      { name: 'Bird', type: 'link', required, link: { table: 'birds', on_delete: onDelete } },
    ],
  })
  expect(made.status).toBe(201)
  return made.body.slug as string
}

const pointers = (body: Record<string, unknown>) =>
  (body.errors as { pointer: string }[]).map((error) => error.pointer)

describe('making link columns', () => {
  it('makes a real link to a table of the same owner, shown in the schema', async () => {
    const slug = await sightings('refuse')
    const schema = await call('GET', `/tables/${slug}`)
    expect(schema.body.columns[1]).toMatchObject({
      slug: 'bird',
      type: 'link',
      link: { table: 'birds', on_delete: 'refuse' },
    })
    const added = await call('POST', `/tables/${slug}/columns`, {
      name: 'Seen after',
      type: 'link',
      link: { table: slug, on_delete: 'clear' },
    })
    expect(added.status).toBe(201)
    expect(added.body.columns[2].link).toEqual({
      table: slug,
      on_delete: 'clear',
      many: false,
      display: null,
    })
  })

  it.each([
    ['no target', { type: 'link' }, 'link'],
    [
      'another owner’s table',
      { type: 'link', link: { table: 'theirs', on_delete: 'clear' } },
      'link',
    ],
    ['a missing table', { type: 'link', link: { table: 'nowhere', on_delete: 'clear' } }, 'link'],
    ['a bad on_delete', { type: 'link', link: { table: 'birds', on_delete: 'cascade' } }, 'link'],
    [
      'a required link that clears',
      { type: 'link', required: true, link: { table: 'birds', on_delete: 'clear' } },
      'required',
    ],
    [
      'a default',
      { type: 'link', default: 1, link: { table: 'birds', on_delete: 'clear' } },
      'default',
    ],
  ])('refuses %s with a 400 naming the field, and adds nothing', async (_, body, field) => {
    const slug = await sightings('clear')
    const res = await call('POST', `/tables/${slug}/columns`, { name: 'Other', ...body })
    expect(res.status).toBe(400)
    expect(pointers(res.body).some((pointer) => pointer.startsWith(`#/${field}`))).toBe(true)
    expect((await call('GET', `/tables/${slug}`)).body.columns).toHaveLength(2)
  })

  it('refuses a required link on a table with rows, and takes one later once every row has a link', async () => {
    const res = await call('POST', '/tables/birds/columns', {
      name: 'Mate',
      type: 'link',
      required: true,
      link: { table: 'birds', on_delete: 'refuse' },
    })
    expect(res.status).toBe(400)
    expect(pointers(res.body)).toEqual(['#/required'])
    expect(res.body.detail).toContain('2 rows would have no link')
    const slug = await sightings('refuse')
    await call('POST', `/tables/${slug}/rows`, { bird: 1 })
    expect((await call('PATCH', `/tables/${slug}/columns/bird`, { required: true })).status).toBe(
      200,
    )
    const missing = await call('POST', `/tables/${slug}/rows`, { place: 'Park' })
    expect(pointers(missing.body)).toEqual(['#/bird'])
  })

  it('refuses a new table whose link points at another owner’s table, and makes nothing', async () => {
    const res = await call('POST', '/tables', {
      name: 'Stolen',
      columns: [{ name: 'Bird', type: 'link', link: { table: 'theirs', on_delete: 'refuse' } }],
    })
    expect(res.status).toBe(400)
    expect((await call('GET', '/tables/stolen')).status).toBe(404)
  })

  it.each([
    ['place', 'link'],
    ['bird', 'text'],
  ])('refuses to retype %s to %s', async (column, type) => {
    const slug = await sightings('clear')
    const res = await call('PATCH', `/tables/${slug}/columns/${column}`, { type })
    expect(res.status).toBe(400)
    expect(pointers(res.body)).toEqual(['#/type'])
  })
})

describe('writing links', () => {
  it('takes an id, as a number or a string, and reads it back', async () => {
    const slug = await sightings('clear')
    const a = await call('POST', `/tables/${slug}/rows`, { place: 'Park', bird: 2 })
    expect(a.status).toBe(201)
    expect(a.body.values.bird).toEqual({
      id: 2,
      display: 'Robin',
      url: 'http://localhost/ada/tables/birds/2',
    })
    const b = await call('POST', `/tables/${slug}/rows`, { place: 'Pond', bird: '1' })
    expect(b.body.values.bird).toMatchObject({ id: 1, display: 'Wren' })
    const list = await call('GET', `/tables/${slug}/rows`)
    expect(
      list.body.rows.map(
        (row: { values: { bird: { display: string } } }) => row.values.bird.display,
      ),
    ).toEqual(['Robin', 'Wren'])
    const changed = await call('PATCH', `/tables/${slug}/rows/${a.body.id}`, { bird: 1 })
    expect(changed.body.values.bird).toMatchObject({ id: 1, display: 'Wren' })
  })

  it('shows the grid and row page with the linked row’s name and page, and “Linked from”', async () => {
    const slug = await sightings('clear')
    const made = await call('POST', `/tables/${slug}/rows`, { place: 'Park <b>', bird: 2 })
    await call('POST', `/tables/${slug}/rows`, { place: 'Pond', bird: 2 })
    const { browser } = await signedInBrowser(t, 'ada')
    const grid = (await browser.get(`/ada/tables/${slug}`)).html
    expect(grid).toContain('<a href="/ada/tables/birds/2">Robin</a>')
    expect(grid).toContain('Park &lt;b&gt;')
    const row = (await browser.get(`/ada/tables/${slug}/${made.body.id}`)).html
    expect(row).toContain('<a href="/ada/tables/birds/2">Robin</a>')
    const target = (await browser.get('/ada/tables/birds/2')).html
    expect(target).toContain('Linked from')
    expect(target).toContain(`href="/ada/tables/${slug}?bird__exact=2"`)
    expect(target).toContain('(Bird): 2 rows')
    const filtered = (await browser.get(`/ada/tables/${slug}?bird__exact=2`)).html
    expect(filtered).toContain('Pond')
  })

  it('shows no display value of a private table to others', async () => {
    const slug = await sightings('clear')
    await call('PATCH', '/tables/birds', { visibility: 'private' })
    try {
      const made = await call('POST', `/tables/${slug}/rows`, { place: 'Park', bird: 2 })
      const res = await apiRequest(t, 'GET', `/ada/tables/${slug}/rows/${made.body.id}`)
      expect((await res.json()).values.bird).toEqual({ id: 2, display: null, url: null })
      const { html } = await anonymousBrowser(t).get(`/ada/tables/${slug}`)
      expect(tableCells(html)[0]).toContain('Row 2')
      expect(html).not.toContain('Robin')
    } finally {
      await call('PATCH', '/tables/birds', { visibility: 'public' })
    }
  })

  it.each([
    [{ bird: 99 }, '#/bird'],
    [{ bird: 'robin' }, '#/bird'],
    [{ bird: 0 }, '#/bird'],
    [{ bird: -1 }, '#/bird'],
    [[{ bird: 1 }, { bird: 12345 }], '#/1/bird'],
  ])('refuses %j with a 400 naming the field, and stores nothing', async (body, pointer) => {
    const slug = await sightings('clear')
    const res = await call('POST', `/tables/${slug}/rows`, body)
    expect(res.status).toBe(400)
    expect(pointers(res.body)).toEqual([pointer])
    expect((await call('GET', `/tables/${slug}/rows`)).body.rows).toHaveLength(0)
  })

  it('refuses an unknown id on update too', async () => {
    const slug = await sightings('clear')
    const made = await call('POST', `/tables/${slug}/rows`, { bird: 1 })
    const res = await call('PATCH', `/tables/${slug}/rows/${made.body.id}`, { bird: 404 })
    expect(res.status).toBe(400)
    expect(pointers(res.body)).toEqual(['#/bird'])
  })

  it('imports ids from CSV and refuses an unknown one with its line and column', async () => {
    const slug = await sightings('clear')
    const csv = async (text: string) =>
      apiRequest(t, 'POST', `/ada/tables/${slug}/rows`, {
        token,
        body: text,
        headers: { 'content-type': 'text/csv' },
      })
    expect((await csv('place,bird\nPark,1\nPond,2\n')).status).toBe(201)
    const bad = await csv('place,bird\nPark,1\nPond,77\nLake,2\n')
    expect(bad.status).toBe(400)
    const problem = await bad.json()
    expect(problem.line).toBe(3)
    expect(problem.column).toBe('Bird')
    expect(problem.detail).toContain('no row of the linked table has id 77')
    expect((await call('GET', `/tables/${slug}/rows`)).body.rows).toHaveLength(2)
  })

  it('exports links as ids', async () => {
    const slug = await sightings('clear')
    await call('POST', `/tables/${slug}/rows`, { place: 'Park', bird: 2 })
    const csv = await apiRequest(t, 'GET', `/ada/tables/${slug}/export.csv`, { token })
    expect(csv.status).toBe(200)
    expect(await csv.text()).toContain('Park,2')
    const json = await apiRequest(t, 'GET', `/ada/tables/${slug}/export.json`, { token })
    expect(await json.json()).toEqual([{ id: expect.any(Number), place: 'Park', bird: 2 }])
  })
})

describe('deleting linked rows and tables', () => {
  async function fresh(name: string): Promise<TableInfo> {
    const table = await birdTable(t, ada.id, name)
    return table
  }

  it('clears the links to a deleted row', async () => {
    const slug = await sightings('clear')
    const made = await call('POST', `/tables/${slug}/rows`, { place: 'Park', bird: 2 })
    expect((await call('DELETE', '/tables/birds/rows/2')).status).toBe(204)
    const row = await call('GET', `/tables/${slug}/rows/${made.body.id}`)
    expect(row.body.values.bird).toBeNull()
    // Robin again, for the tests after.
    await call('POST', '/tables/birds/rows', { bird: 'Robin', count: 5 })
  })

  it('refuses to delete a row others link to (409 naming them), one or many', async () => {
    const target = await fresh('Perches')
    const name = `Nests ${++tables}`
    const made = await call('POST', '/tables', {
      name,
      columns: [{ name: 'Perch', type: 'link', link: { table: target.slug, on_delete: 'refuse' } }],
    })
    const slug = made.body.slug as string
    const nest = await call('POST', `/tables/${slug}/rows`, { perch: 1 })
    const res = await call('DELETE', `/tables/${target.slug}/rows/1`)
    expect(res.status).toBe(409)
    expect(res.body.detail).toContain(
      `row 1 is linked from “${name}” (column “Perch”): row ${nest.body.id}`,
    )
    expect((await call('GET', `/tables/${target.slug}/rows/1`)).status).toBe(200)
    const actor = sessionActor({ id: ada.id, username: 'ada' } as never)
    const current = await findTable(t.database.db, 'ada', target.slug)
    if (current.found !== 'table') throw new Error('no table')
    await expect(removeRows(t.database.db, actor, current.table, [1, 2])).rejects.toMatchObject({
      kind: 'conflict',
    })
    expect((await call('GET', `/tables/${target.slug}/rows/2`)).status).toBe(200)
    // Unlinked, it goes.
    await call('PATCH', `/tables/${slug}/rows/${nest.body.id}`, { perch: null })
    expect((await call('DELETE', `/tables/${target.slug}/rows/1`)).status).toBe(204)
  })

  it('refuses to delete a table others link to, until the link column goes', async () => {
    const target = await fresh('Roosts')
    const name = `Flocks ${++tables}`
    const made = await call('POST', '/tables', {
      name,
      columns: [{ name: 'Roost', type: 'link', link: { table: target.slug, on_delete: 'clear' } }],
    })
    const res = await call('DELETE', `/tables/${target.slug}`)
    expect(res.status).toBe(409)
    expect(res.body.detail).toContain(`“Roost” of “${name}”`)
    expect((await call('GET', `/tables/${target.slug}`)).status).toBe(200)
    expect((await call('DELETE', `/tables/${made.body.slug}/columns/roost`)).status).toBe(204)
    expect((await call('DELETE', `/tables/${target.slug}`)).status).toBe(204)
  })

  it('deletes a table that links only to itself', async () => {
    const made = await call('POST', '/tables', { name: 'Selfish', columns: [] })
    await call('POST', '/tables/selfish/columns', {
      name: 'Parent',
      type: 'link',
      link: { table: 'selfish', on_delete: 'refuse' },
    })
    expect(made.status).toBe(201)
    expect((await call('DELETE', '/tables/selfish')).status).toBe(204)
  })
})

describe('link columns in the pages', () => {
  it('adds a link column from the columns page, and shows its error on a bad target', async () => {
    const { browser } = await signedInBrowser(t, 'ada')
    const slug = await sightings('clear')
    const page = await browser.get(`/ada/tables/${slug}/columns`)
    expect(page.html).toContain('<option value="birds">Birds</option>')
    const bad = await browser.post(`/ada/tables/${slug}/columns`, {
      name: 'Other',
      type: 'link',
      link_table: 'theirs',
      link_on_delete: 'clear',
    })
    expect(bad.status).toBe(400)
    expect(await bad.text()).toContain('Pick one of your own tables to link to')
    const good = await browser.post(`/ada/tables/${slug}/columns`, {
      name: 'Other',
      type: 'link',
      link_table: 'birds',
      link_on_delete: 'refuse',
    })
    expect(good.status).toBe(303)
    const schema = await call('GET', `/tables/${slug}`)
    expect(schema.body.columns[2].link).toEqual({
      table: 'birds',
      on_delete: 'refuse',
      many: false,
      display: null,
    })
    const edit = await browser.get(`/ada/tables/${slug}/columns/other`)
    expect(edit.res.status).toBe(200)
  })

  it('takes the linked row’s id in the row form, refusing an unknown one on its field', async () => {
    const { browser } = await signedInBrowser(t, 'ada')
    const slug = await sightings('clear')
    const form = await browser.get(`/ada/tables/${slug}/new`)
    expect(form.html).toContain('The id of the linked row')
    const bad = await browser.post(`/ada/tables/${slug}/new`, { place: 'Park', bird: '404' })
    expect(bad.status).toBe(400)
    expect(await bad.text()).toContain('No row of the linked table has this id')
    const good = await browser.post(`/ada/tables/${slug}/new`, { place: 'Park', bird: '1' })
    expect(good.status).toBe(303)
    const rows = await call('GET', `/tables/${slug}/rows?bird__notnull`)
    expect(rows.body.rows).toHaveLength(1)
  })
})

describe('refusals in the pages', () => {
  it('refuses deleting a linked row or table with a 409 page that says why', async () => {
    const { browser } = await signedInBrowser(t, 'ada')
    const target = await birdTable(t, ada.id, 'Branches')
    const made = await call('POST', '/tables', {
      name: 'Twigs',
      columns: [
        { name: 'Branch', type: 'link', link: { table: target.slug, on_delete: 'refuse' } },
      ],
    })
    await call('POST', `/tables/${made.body.slug}/rows`, { branch: 2 })
    await browser.get(`/ada/tables/${target.slug}/2`)
    const one = await browser.post(`/ada/tables/${target.slug}/2/delete`)
    expect(one.status).toBe(409)
    expect(await one.text()).toContain('row 2 is linked from “Twigs” (column “Branch”): row 1')
    const many = await browser.post(`/ada/tables/${target.slug}/delete-rows`, { ids: '2' })
    expect(many.status).toBe(409)
    await browser.get(`/ada/tables/${target.slug}/settings`)
    const table = await browser.post(`/ada/tables/${target.slug}/delete`, { confirm: 'Branches' })
    expect(table.status).toBe(409)
    expect(await table.text()).toContain('Other tables link to this one (“Branch” of “Twigs”)')
    expect((await call('GET', `/tables/${target.slug}/rows/2`)).status).toBe(200)
  })
})

describe('links under concurrent edits', () => {
  it('never keeps a link to a row deleted at the same moment', async () => {
    const target = await birdTable(t, ada.id, 'Ledges')
    const made = await call('POST', '/tables', {
      name: 'Gulls',
      columns: [{ name: 'Ledge', type: 'link', link: { table: target.slug, on_delete: 'refuse' } }],
    })
    const slug = made.body.slug as string
    for (let round = 0; round < 5; round++) {
      const row = await call('POST', `/tables/${target.slug}/rows`, { bird: `Ledge ${round}` })
      const [link, gone] = await Promise.all([
        call('POST', `/tables/${slug}/rows`, { ledge: row.body.id }),
        call('DELETE', `/tables/${target.slug}/rows/${row.body.id}`),
      ])
      // One wins: the link (and the delete is refused), or the delete (and the link is refused).
      expect([link.status, gone.status].sort()).toEqual(
        link.status === 201 ? [201, 409] : [204, 400],
      )
      const still = await call('GET', `/tables/${target.slug}/rows/${row.body.id}`)
      expect(still.status).toBe(link.status === 201 ? 200 : 404)
    }
  })

  it('never makes a link to a table deleted at the same moment', async () => {
    for (let round = 0; round < 3; round++) {
      const target = await birdTable(t, ada.id, `Cliffs ${round}`)
      const made = await call('POST', '/tables', { name: `Puffins ${round}`, columns: [] })
      const [added, gone] = await Promise.all([
        call('POST', `/tables/${made.body.slug}/columns`, {
          name: 'Cliff',
          type: 'link',
          link: { table: target.slug, on_delete: 'clear' },
        }),
        call('DELETE', `/tables/${target.slug}`),
      ])
      expect([added.status, gone.status].sort()).toEqual(
        added.status === 201 ? [201, 409] : [204, 400],
      )
    }
  })
})
