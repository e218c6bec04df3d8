// Columns of several links (a junction table per column): made, written and read through the API,
// the pages, CSV imports and exports; deletes that clear or refuse; column and table changes;
// filters; bad input; and concurrent edits, on whichever driver the tests run.
import { sql } from 'kysely'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { rowsPerPage } from '../application/rows.js'
import { findTable } from '../datasource/catalog.js'
import { MAX_LINKS_PER_CELL, parseLinkList, readLinkLists } from '../datasource/link-lists.js'
import type { ColumnInfo, TableInfo } from '../datasource/types.js'
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
  // Grace's rows have ids 1 and 2 too: they are not Ada's to link to.
  await birdTable(t, grace.id, 'Theirs')
})
afterAll(() => t.database.close())

const call = async (method: string, path: string, body?: unknown) => {
  const res = await apiRequest(t, method, `/ada${path}`, { token, body })
  const text = await res.text()
  // biome-ignore lint/suspicious/noExplicitAny: answers of several shapes, read field by field
  return { status: res.status, body: (text ? JSON.parse(text) : null) as Record<string, any> }
}

const pointers = (body: Record<string, unknown>) =>
  (body.errors as { pointer: string }[]).map((error) => error.pointer)

const junctionTables = async () => {
  const { rows } = await sql<{ name: string }>`
    select tablename as name from pg_tables where schemaname = 'userdata' and tablename like 'j%'`.execute(
    t.database.db,
  )
  return rows.map((row) => row.name)
}

let made = 0
// Birds (1 Wren, 2 Robin, 3…5 more) and a table of trips whose Birds column holds several links.
async function trips(onDelete: 'clear' | 'refuse' = 'clear') {
  const n = ++made
  const birds = await birdTable(t, ada.id, `Birds ${n}`, { extra: 5 })
  const res = await call('POST', '/tables', {
    name: `Trips ${n}`,
    columns: [
      { name: 'Place', type: 'text' },
      { name: 'Birds', type: 'link', link: { table: birds.slug, on_delete: onDelete, many: true } },
    ],
  })
  expect(res.status).toBe(201)
  const slug = res.body.slug as string
  return { slug, birds: birds.slug, rows: `/tables/${slug}/rows` }
}

const fakeColumn: ColumnInfo = {
  id: 1,
  name: 'Gone',
  slug: 'gone',
  type: 'link',
  position: 1,
  required: false,
  unique: false,
  defaultValue: null,
  choices: null,
  link: { tableId: 1, onDelete: 'clear', many: true },
}
const ids = (value: { id: number }[]) => value.map((link) => link.id)
const tooMany = Array.from({ length: MAX_LINKS_PER_CELL + 1 }, (_, i) => i + 1)
tooMany.toString = () => `${MAX_LINKS_PER_CELL + 1} ids`

describe('parsing a list of links', () => {
  it.each([
    [null, false, null],
    ['', false, null],
    [' 3, 7;12 ', false, '3,7,12'],
    [[3, '7'], true, '3,7'],
    [[], true, null],
  ])('reads %j as %j', (value, typed, expected) => {
    expect(parseLinkList(value, typed)).toEqual({ ok: true, value: expected })
  })

  it.each([
    ['3,7', true, 'Must be a list of ids'],
    [{ id: 3 }, true, 'Must be a list of ids'],
    ['3,x', false, 'Each link must be the id'],
    [[1.5], true, 'Each link must be the id'],
    [[0], true, 'Each link must be the id'],
    ['3,3', false, 'Row 3 is listed twice'],
    [tooMany, true, 'At most 1,000 links'],
  ])('refuses %s', (value, typed, message) => {
    const parsed = parseLinkList(value, typed)
    expect(parsed.ok).toBe(false)
    expect(parsed.ok ? '' : parsed.message).toContain(message)
  })
})

describe('several links through the API', () => {
  it('makes a junction table, writes ids in order and reads them back with names and pages', async () => {
    const { slug, birds, rows } = await trips()
    const schema = await call('GET', `/tables/${slug}`)
    expect(schema.body.columns[1].link).toEqual({
      table: birds,
      on_delete: 'clear',
      many: true,
      display: null,
    })
    const a = await call('POST', rows, { place: 'Park', birds: [2, 1] })
    expect(a.status).toBe(201)
    expect(a.body.values.birds).toEqual([
      { id: 2, display: 'Robin', url: `http://localhost/ada/tables/${birds}/2` },
      { id: 1, display: 'Wren', url: `http://localhost/ada/tables/${birds}/1` },
    ])
    const b = await call('POST', rows, [{ place: 'Pond', birds: ['3'] }, { place: 'Lake' }])
    expect(b.body.rows.map((row: { values: { birds: [] } }) => row.values.birds.length)).toEqual([
      1, 0,
    ])
    // A PATCH without the column leaves the links; with it, replaces them (order kept).
    const kept = await call('PATCH', `${rows}/${a.body.id}`, { place: 'Park 2' })
    expect(ids(kept.body.values.birds)).toEqual([2, 1])
    const changed = await call('PATCH', `${rows}/${a.body.id}`, { birds: [4, 2, 3] })
    expect(ids(changed.body.values.birds)).toEqual([4, 2, 3])
    const list = await call('GET', rows)
    expect(list.body.rows.map((row: { values: { birds: [] } }) => ids(row.values.birds))).toEqual([
      [4, 2, 3],
      [3],
      [],
    ])
    for (const empty of [null, []]) {
      await call('PATCH', `${rows}/${a.body.id}`, { birds: [1] })
      const cleared = await call('PATCH', `${rows}/${a.body.id}`, { birds: empty })
      expect(cleared.body.values.birds).toEqual([])
    }
  })

  it.each([
    [{ birds: [1, 'x'] }, '#/birds'],
    [{ birds: [1, 1] }, '#/birds'],
    [{ birds: 3 }, '#/birds'],
    [{ birds: '3,4' }, '#/birds'],
    [{ birds: [404] }, '#/birds'],
    [{ birds: tooMany }, '#/birds'],
    [[{ birds: [1] }, { birds: [2, 99] }], '#/1/birds'],
  ])('refuses %s with a 400 naming the field, and stores nothing', async (body, pointer) => {
    const { rows } = await trips()
    const res = await call('POST', rows, body)
    expect(res.status).toBe(400)
    expect(pointers(res.body)).toEqual([pointer])
    expect((await call('GET', rows)).body.rows).toHaveLength(0)
  })

  it('refuses ids of another owner’s rows (not in the linked table) on update, changing nothing', async () => {
    const { rows } = await trips()
    const row = await call('POST', rows, { place: 'Park', birds: [1] })
    const res = await call('PATCH', `${rows}/${row.body.id}`, { place: 'Moor', birds: [2, 9999] })
    expect(res.status).toBe(400)
    expect(res.body.errors).toEqual([
      { pointer: '#/birds', detail: 'No row of the linked table has id 9999' },
    ])
    const after = await call('GET', `${rows}/${row.body.id}`)
    expect(after.body.values).toMatchObject({ place: 'Park', birds: [{ id: 1 }] })
  })

  it('filters by a linked id and by having no links, and refuses to sort or facet by the list', async () => {
    const { rows } = await trips()
    await call('POST', rows, [
      { place: 'Park', birds: [1, 2] },
      { place: 'Pond', birds: [2] },
      { place: 'Lake' },
    ])
    const places = async (query: string) =>
      (await call('GET', `${rows}?${query}`)).body.rows.map(
        (row: { values: { place: string } }) => row.values.place,
      )
    expect(await places('birds__exact=2')).toEqual(['Park', 'Pond'])
    expect(await places('birds__exact=1')).toEqual(['Park'])
    expect(await places('birds__isnull=1')).toEqual(['Lake'])
    expect(await places('birds__notnull=1')).toEqual(['Park', 'Pond'])
    // By display value only a single link: several are matched by id, and searched not at all.
    for (const operator of ['display', 'contains', 'startswith']) {
      const refused = await call('GET', `${rows}?birds__${operator}=Wren`)
      expect(refused.status).toBe(400)
    }
    expect(await places('search=Wren')).toEqual([])
    const sorted = await call('GET', `${rows}?order=birds`)
    expect(sorted.status).toBe(400)
    expect(pointers(sorted.body)).toEqual(['#/order'])
    const faceted = await call('GET', `${rows}?_facet=birds`)
    expect(faceted.status).toBe(400)
    expect(pointers(faceted.body)).toEqual(['#/_facet'])
  })

  it('reads fewer rows a page from a table with lists, so a page stays bounded', async () => {
    const { slug, rows } = await trips()
    const table = (await findTable(t.database.db, 'ada', slug)) as { table: TableInfo }
    // Place (10,000 characters) and Birds (1,000 links of about 100 characters each).
    expect(rowsPerPage(table.table, 1000)).toBe(145)
    await call(
      'POST',
      rows,
      Array.from({ length: 150 }, (_, n) => ({ place: `P${n}` })),
    )
    const page = await call('GET', `${rows}?limit=1000`)
    expect(page.body.rows).toHaveLength(145)
    expect(page.body.next).toContain('after=')
  })

  it('describes the column in the table’s OpenAPI document', async () => {
    const { slug } = await trips()
    const res = await apiRequest(t, 'GET', `/ada/tables/${slug}/openapi.json`, { token })
    const text = await res.text()
    expect(res.status).toBe(200)
    expect(text).toContain('written as an array of the linked rows’ ids')
    expect(text).toContain('"maxItems":1000')
  })
})

describe('deleting linked rows, columns and tables', () => {
  it('clears the links to a deleted row, and a deleted row’s own links go with it', async () => {
    const { birds, rows } = await trips('clear')
    const a = await call('POST', rows, { place: 'Park', birds: [1, 2, 3] })
    const b = await call('POST', rows, { place: 'Pond', birds: [2] })
    expect((await call('DELETE', `/tables/${birds}/rows/2`)).status).toBe(204)
    expect(ids((await call('GET', `${rows}/${a.body.id}`)).body.values.birds)).toEqual([1, 3])
    expect((await call('GET', `${rows}/${b.body.id}`)).body.values.birds).toEqual([])
    expect((await call('DELETE', `${rows}/${a.body.id}`)).status).toBe(204)
    // Nothing links to 1 any more: it goes, even from a refusing table.
    expect((await call('DELETE', `/tables/${birds}/rows/1`)).status).toBe(204)
  })

  it('refuses to delete a linked row (409 naming the linking rows)', async () => {
    const { slug, birds, rows } = await trips('refuse')
    const a = await call('POST', rows, { place: 'Park', birds: [1, 2] })
    const b = await call('POST', rows, { place: 'Pond', birds: [2] })
    const one = await call('DELETE', `/tables/${birds}/rows/2`)
    expect(one.status).toBe(409)
    const name = (await call('GET', `/tables/${slug}`)).body.name
    expect(one.body.detail).toContain(
      `row 2 is linked from “${name}” (column “Birds”): row ${a.body.id}, row ${b.body.id}`,
    )
    expect(one.body.linkedFrom).toHaveLength(2)
    expect((await call('GET', `/tables/${birds}/rows/1`)).status).toBe(200)
    await call('PATCH', `${rows}/${a.body.id}`, { birds: [] })
    await call('PATCH', `${rows}/${b.body.id}`, { birds: null })
    expect((await call('DELETE', `/tables/${birds}/rows/2`)).status).toBe(204)
  })

  it('renames the column, refuses to retype it or make it required or unique, and drops its junction table with it', async () => {
    const { slug, rows } = await trips()
    await call('POST', rows, { place: 'Park', birds: [1] })
    const column = (await call('GET', `/tables/${slug}`)).body.columns[1]
    expect(column.slug).toBe('birds')
    const renamed = await call('PATCH', `/tables/${slug}/columns/birds`, { name: 'Seen' })
    expect(renamed.status).toBe(200)
    expect(ids((await call('GET', rows)).body.rows[0].values.seen)).toEqual([1])
    for (const [change, field] of [
      [{ type: 'text' }, '#/type'],
      [{ required: true }, '#/required'],
      [{ unique: true }, '#/unique'],
    ] as const) {
      const res = await call('PATCH', `/tables/${slug}/columns/seen`, change)
      expect(res.status).toBe(400)
      expect(pointers(res.body)).toEqual([field])
    }
    const before = await junctionTables()
    expect((await call('DELETE', `/tables/${slug}/columns/seen`)).status).toBe(204)
    expect((await junctionTables()).length).toBe(before.length - 1)
    expect((await call('GET', rows)).body.rows[0].values).toEqual({ place: 'Park' })
  })

  it('refuses to delete a table a list links to, and deletes the table that owns the list', async () => {
    const { slug, birds, rows } = await trips()
    await call('POST', rows, { place: 'Park', birds: [1] })
    const refused = await call('DELETE', `/tables/${birds}`)
    expect(refused.status).toBe(409)
    expect(refused.body.detail).toContain('“Birds” of')
    const before = await junctionTables()
    expect((await call('DELETE', `/tables/${slug}`)).status).toBe(204)
    expect((await junctionTables()).length).toBe(before.length - 1)
    expect((await call('DELETE', `/tables/${birds}`)).status).toBe(204)
  })

  it('adds a list linking a table to itself, and deletes that table', async () => {
    const res = await call('POST', '/tables', { name: 'Family', columns: [] })
    const added = await call('POST', '/tables/family/columns', {
      name: 'Children',
      type: 'link',
      link: { table: 'family', on_delete: 'refuse', many: true },
    })
    expect(added.status).toBe(201)
    const parent = await call('POST', '/tables/family/rows', {})
    const child = await call('POST', '/tables/family/rows', { children: [] })
    const linked = await call('PATCH', `/tables/family/rows/${parent.body.id}`, {
      children: [child.body.id],
    })
    expect(ids(linked.body.values.children)).toEqual([child.body.id])
    expect((await call('DELETE', `/tables/family/rows/${child.body.id}`)).status).toBe(409)
    expect(res.status).toBe(201)
    expect((await call('DELETE', '/tables/family')).status).toBe(204)
  })
})

describe('CSV imports and exports', () => {
  const csv = (path: string, text: string) =>
    apiRequest(t, 'POST', `/ada${path}`, {
      token,
      body: text,
      headers: { 'content-type': 'text/csv' },
    })

  it('imports `3,7` or `3;7` lists in order and exports them as ids', async () => {
    const { rows, slug } = await trips()
    const res = await csv(rows, 'place,birds\nPark,"2,1"\nPond,3;4;5\nLake,\n')
    expect(res.status).toBe(201)
    const list = (await call('GET', rows)).body.rows
    expect(list.map((row: { values: { birds: [] } }) => ids(row.values.birds))).toEqual([
      [2, 1],
      [3, 4, 5],
      [],
    ])
    const out = await apiRequest(t, 'GET', `/ada/tables/${slug}/export.csv`, { token })
    expect(await out.text()).toContain('Park,"2,1"\nPond,"3,4,5"\nLake,\n')
    const json = await apiRequest(t, 'GET', `/ada/tables/${slug}/export.json`, { token })
    expect(await json.json()).toEqual([
      { id: expect.any(Number), place: 'Park', birds: [2, 1] },
      { id: expect.any(Number), place: 'Pond', birds: [3, 4, 5] },
      { id: expect.any(Number), place: 'Lake', birds: [] },
    ])
    const filtered = await apiRequest(t, 'GET', `/ada/tables/${slug}/export.csv?birds__exact=4`, {
      token,
    })
    expect(await filtered.text()).toBe('Place,Birds\nPond,"3,4,5"\n')
  })

  it('imports a file holding only the list column', async () => {
    const { rows } = await trips()
    expect((await csv(rows, 'birds\n1\n"2,3"\n')).status).toBe(201)
    const list = (await call('GET', rows)).body.rows
    expect(list.map((row: { values: { birds: [] } }) => ids(row.values.birds))).toEqual([
      [1],
      [2, 3],
    ])
  })

  it('refuses an import of more links than it may hold, naming the line where they ran over', async () => {
    const { rows, birds } = await trips()
    // 1,001 rows of Birds, to link a hundred times each.
    await csv(`/tables/${birds}/rows`, `bird,count\n${'B,1\n'.repeat(1001)}`)
    const cell = `"${Array.from({ length: 1000 }, (_, i) => i + 1).join(',')}"`
    const lines = Array.from({ length: 101 }, (_, i) => `P${i},${cell}`).join('\n')
    const res = await csv(rows, `place,birds\n${lines}\n`)
    expect(res.status).toBe(400)
    const problem = await res.json()
    expect(problem).toMatchObject({ line: 102, column: 'Birds' })
    expect(problem.detail).toContain('at most 100,000 links')
    expect((await call('GET', rows)).body.rows).toHaveLength(0)
  })

  it.each([
    ['place,birds\nPark,1\nPond,"2,77"\n', 3, 'no row of the linked table has id 77'],
    ['place,birds\nPark,1\nPond,"2,x"\n', 3, 'each link must be the id'],
    ['place,birds\nPark,"1,1"\n', 2, 'row 1 is listed twice'],
  ])('refuses %j naming the line and column, importing nothing', async (file, line, detail) => {
    const { rows } = await trips()
    await call('POST', rows, { place: 'Kept', birds: [1] })
    const res = await csv(rows, file)
    expect(res.status).toBe(400)
    const problem = await res.json()
    expect(problem).toMatchObject({ line, column: 'Birds' })
    expect(problem.detail).toContain(detail)
    expect((await call('GET', rows)).body.rows).toHaveLength(1)
  })
})

describe('several links a reader may not see', () => {
  it('shows ids only when the linked table is private, and reads a dropped column as no links', async () => {
    const { birds, rows, slug } = await trips()
    const row = await call('POST', rows, { place: 'Park', birds: [2, 1] })
    await call('PATCH', `/tables/${birds}`, { visibility: 'private' })
    const res = await apiRequest(t, 'GET', `/ada/tables/${slug}/rows/${row.body.id}`)
    expect((await res.json()).values.birds).toEqual([
      { id: 2, display: null, url: null },
      { id: 1, display: null, url: null },
    ])
    const { html } = await anonymousBrowser(t).get(`/ada/tables/${slug}`)
    expect(tableCells(html)[0]).toContain('Row 2, Row 1')
    const gone = { ...fakeColumn, id: 2_000_000_000 }
    expect(await readLinkLists(t.database.db, gone, [row.body.id], 5)).toEqual(new Map())
  })
})

describe('several links in the pages', () => {
  it('adds the column from the columns page, shows a grid cell’s first five and the rest on the row page', async () => {
    const { browser } = await signedInBrowser(t, 'ada')
    const { slug, birds, rows } = await trips()
    const page = await browser.get(`/ada/tables/${slug}/columns`)
    expect(page.html).toContain('<option value="many">Several links</option>')
    const added = await browser.post(`/ada/tables/${slug}/columns`, {
      name: 'Also',
      type: 'link',
      link_table: birds,
      link_on_delete: 'refuse',
      link_count: 'many',
    })
    expect(added.status).toBe(303)
    expect((await browser.get(`/ada/tables/${slug}/columns`)).html).toContain('several links')
    const schema = await call('GET', `/tables/${slug}`)
    expect(schema.body.columns[2].link).toEqual({
      table: birds,
      on_delete: 'refuse',
      many: true,
      display: null,
    })
    const row = await call('POST', rows, { place: 'Park <i>', birds: [7, 6, 5, 4, 3, 2, 1] })
    const grid = (await browser.get(`/ada/tables/${slug}`)).html
    expect(tableCells(grid)[0]).toContain('Bird 4, Bird 3, Bird 2, Bird 1, Bird 0 and 2 more')
    expect(grid).toContain('Park &lt;i&gt;')
    expect(grid).toContain('?order=place"')
    expect(grid).not.toContain('?order=birds"')
    const json = await browser.get(`/ada/tables/${slug}?format=json`)
    const body = JSON.parse(json.html)
    expect(body.rows[0].values.birds).toHaveLength(5)
    expect(body.rows[0].truncated).toEqual(['birds'])
    const rowPage = (await browser.get(`/ada/tables/${slug}/${row.body.id}`)).html
    expect(rowPage).toContain(`<a href="/ada/tables/${birds}/1">Wren</a>`)
    expect(rowPage).toContain(`<a href="/ada/tables/${birds}/2">Robin</a>`)
    const target = (await browser.get(`/ada/tables/${birds}/2`)).html
    expect(target).toContain('Linked from')
    expect(target).toContain(`href="/ada/tables/${slug}?birds__exact=2"`)
    expect(target).toContain('(Birds): 1 row')
    const examples = (await browser.get(`/ada/tables/${slug}/api`)).html
    expect(examples).toContain('&quot;birds&quot;:[1]')
    const sorted = (await browser.get(`/ada/tables/${slug}?order=birds`)).res.status
    expect(sorted).toBe(200)
  })

  it('takes comma-separated ids in the row form, shows them to edit, and refuses an unknown one on its field', async () => {
    const { browser } = await signedInBrowser(t, 'ada')
    const { slug, rows } = await trips()
    const form = await browser.get(`/ada/tables/${slug}/new`)
    expect(form.html).toContain('Ids of the linked rows, in order, separated by commas')
    const bad = await browser.post(`/ada/tables/${slug}/new`, { place: 'Park', birds: '1, 404' })
    expect(bad.status).toBe(400)
    expect(await bad.text()).toContain('No row of the linked table has id 404')
    expect((await call('GET', rows)).body.rows).toHaveLength(0)
    const good = await browser.post(`/ada/tables/${slug}/new`, { place: 'Park', birds: '3, 1' })
    expect(good.status).toBe(303)
    const [row] = (await call('GET', rows)).body.rows
    expect(ids(row.values.birds)).toEqual([3, 1])
    const edit = await browser.get(`/ada/tables/${slug}/${row.id}/edit`)
    expect(edit.html).toContain('value="3, 1"')
    const saved = await browser.post(`/ada/tables/${slug}/${row.id}/edit`, {
      place: 'Park',
      birds: '2',
      _version: String(row.version),
    })
    expect(saved.status).toBe(303)
    expect(ids((await call('GET', `${rows}/${row.id}`)).body.values.birds)).toEqual([2])
  })
})

describe('several links under concurrent edits', () => {
  it('gives an import’s links to its own rows while others add rows at the same moment', async () => {
    const { rows } = await trips()
    const lines = Array.from({ length: 3000 }, (_, n) => `I${n},${(n % 3) + 1}`).join('\n')
    const [imported, ...added] = await Promise.all([
      apiRequest(t, 'POST', `/ada${rows}`, {
        token,
        body: `place,birds\n${lines}\n`,
        headers: { 'content-type': 'text/csv' },
      }),
      ...Array.from({ length: 10 }, (_, n) => call('POST', rows, { place: `W${n}` })),
    ])
    expect(imported.status).toBe(201)
    for (const res of added) expect(res.status).toBe(201)
    type Listed = { values: { place: string; birds: { id: number }[] } }
    const wrong: string[] = []
    let seen = 0
    let after: string | null = `${rows}?limit=1000`
    while (after) {
      const { body } = await call('GET', after)
      for (const row of body.rows as Listed[]) {
        const place = row.values.place
        const want = place.startsWith('W') ? [] : [(Number(place.slice(1)) % 3) + 1]
        if (JSON.stringify(ids(row.values.birds)) !== JSON.stringify(want)) wrong.push(place)
        seen++
      }
      after = body.next ? String(body.next).replace(/^.*\/ada/, '') : null
    }
    expect(seen).toBe(3010)
    expect(wrong).toEqual([])
  })

  it('two writers and a delete of a linked row leave no dangling link and no 500', async () => {
    for (const onDelete of ['clear', 'refuse'] as const) {
      const { birds, rows } = await trips(onDelete)
      const row = await call('POST', rows, { place: 'Park', birds: [1] })
      for (let round = 0; round < 4; round++) {
        const target = await call('POST', `/tables/${birds}/rows`, { bird: `New ${round}` })
        const id = target.body.id as number
        const [first, second, gone] = await Promise.all([
          call('PATCH', `${rows}/${row.body.id}`, { birds: [id, 1] }),
          call('PATCH', `${rows}/${row.body.id}`, { birds: [2, id] }),
          call('DELETE', `/tables/${birds}/rows/${id}`),
        ])
        for (const res of [first, second, gone]) expect(res.status).toBeLessThan(500)
        const after = await call('GET', `${rows}/${row.body.id}`)
        const linked = ids(after.body.values.birds)
        const exists = (await call('GET', `/tables/${birds}/rows/${id}`)).status === 200
        // Whatever won, a link to the new row stands only if the row does.
        if (!exists) expect(linked).not.toContain(id)
        if (gone.status === 409) expect(exists).toBe(true)
        expect(after.body.values.birds.every((link: { display: string }) => link.display)).toBe(
          true,
        )
      }
    }
  })
})
