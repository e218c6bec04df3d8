import { sql } from 'kysely'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { CsvRecord } from '../../csv/index.js'
import { findTable } from '../../datasource/catalog.js'
import { importNewTable } from '../../datasource/import.js'
import type { TableInfo } from '../../datasource/types.js'
import {
  anonymousBrowser,
  createTestApp,
  signedInBrowser,
  type TestApp,
  tableCells,
} from '../../test/app.js'
import type { Browser } from '../../test/browser.js'

let t: TestApp
let alice: Browser
let aliceId: number
let bob: Browser
beforeAll(async () => {
  t = await createTestApp()
  ;({
    browser: alice,
    user: { id: aliceId },
  } = await signedInBrowser(t, 'alice'))
  ;({ browser: bob } = await signedInBrowser(t, 'bob'))
})
afterAll(() => t.database.close())

// A public table of alice's with two birds, made straight in the database.
async function birdTable(name: string): Promise<TableInfo> {
  async function* rows(): AsyncGenerator<CsvRecord> {
    yield { line: 2, fields: ['Wren', '3'] }
    yield { line: 3, fields: ['Robin', '5'] }
  }
  const columns = [
    { name: 'Bird', type: 'text' as const },
    { name: 'Count', type: 'integer' as const },
  ]
  return (await importNewTable(t.database, { ownerId: aliceId, name, columns }, rows())).table
}

const fieldError = (html: string, id: string) =>
  new RegExp(`<p class="field__error" id="${id}-error">([^<]*)</p>`).exec(html)?.[1] ?? null
const inputValue = (html: string, name: string) =>
  new RegExp(`<input[^>]*\\bname="${name}"[^>]*\\bvalue="([^"]*)"`).exec(html)?.[1] ?? null
const lookup = (slug: string) => findTable(t.database.db, 'alice', slug)
const physicalTableExists = async (id: number) => {
  const { rows } = await sql<{ name: string | null }>`
    select to_regclass(${`userdata.t${id}`})::text as name`.execute(t.database.db)
  return rows[0]?.name !== null
}

describe('creating a table', () => {
  it('shows the form to its owner, and sends others to their own', async () => {
    const { res, html } = await alice.get('/alice/tables/new')
    expect(res.status).toBe(200)
    expect(html).toContain('<h1>New table</h1>')
    expect(html).toContain('href="/alice/tables/import"')
    const other = await alice.request('/bob/tables/new')
    expect(other.headers.get('location')).toBe('/alice/tables/new')
  })

  it.each([
    ['a blank name', '   ', 'A name is required'],
    ['a 101-character name', 'n'.repeat(101), 'A name must be at most 100 characters'],
  ])(
    'refuses %s with a message beside the field, keeping the input',
    async (_case, name, message) => {
      await alice.get('/alice/tables/new')
      const res = await alice.post('/alice/tables/new', { name, description: 'Kept text' })
      expect(res.status).toBe(400)
      const html = await res.text()
      expect(fieldError(html, 'name')).toBe(message)
      expect(html).toContain('aria-describedby="name-error"')
      expect(inputValue(html, 'name')).toBe(name)
      expect(html).toContain('>Kept text</textarea>')
      const mine = await t.database.db
        .selectFrom('tables')
        .select('name')
        .where('owner_id', '=', aliceId)
        .execute()
      expect(mine.map((row) => row.name)).not.toContain(name.trim())
    },
  )

  it('refuses a name alice already has a table by', async () => {
    await birdTable('Garden Birds')
    await alice.get('/alice/tables/new')
    const res = await alice.post('/alice/tables/new', { name: 'garden  birds' })
    expect(res.status).toBe(400)
    const html = await res.text()
    expect(fieldError(html, 'name')).toBe(
      'You already have a table called “garden-birds”: choose another name.',
    )
    expect(inputValue(html, 'name')).toBe('garden  birds')
  })

  it('creates an empty private table and goes to its columns page', async () => {
    await alice.get('/alice/tables/new')
    const res = await alice.post('/alice/tables/new', {
      name: 'Moth Survey',
      description: 'Night counts',
      visibility: 'private',
    })
    expect(res.status).toBe(303)
    expect(res.headers.get('location')).toBe('/alice/tables/moth-survey/columns')
    const { html } = await alice.get('/alice/tables/moth-survey/columns')
    expect(html).toContain('This table has no columns yet. Add the first one below.')
    const found = await lookup('moth-survey')
    expect(found.found === 'table' && found.table).toMatchObject({
      name: 'Moth Survey',
      description: 'Night counts',
      isPublic: false,
    })
    expect((await bob.request('/alice/tables/moth-survey')).status).toBe(404)
  })
})

describe('table settings', () => {
  it('renames a table; the old address, and its rows’, redirect to the new one', async () => {
    await birdTable('Pond Life')
    const { html } = await alice.get('/alice/tables/pond-life/settings')
    expect(inputValue(html, 'name')).toBe('Pond Life')
    const res = await alice.post('/alice/tables/pond-life/settings', {
      name: 'Pond Creatures',
      description: '',
      visibility: 'public',
    })
    expect(res.status).toBe(303)
    expect(res.headers.get('location')).toBe('/alice/tables/pond-creatures/settings?saved=1')
    for (const [old, now] of [
      ['/alice/tables/pond-life', '/alice/tables/pond-creatures'],
      ['/alice/tables/pond-life/2?format=json', '/alice/tables/pond-creatures/2?format=json'],
      ['/alice/tables/pond-life/settings', '/alice/tables/pond-creatures/settings'],
    ]) {
      const moved = await bob.request(old as string)
      expect(moved.status).toBe(301)
      expect(moved.headers.get('location')).toBe(now)
    }
    const page = await bob.get('/alice/tables/pond-creatures')
    expect(page.html).toContain('<h1>Pond Creatures')
    expect(tableCells(page.html)).toEqual([
      ['1', 'Wren', '3'],
      ['2', 'Robin', '5'],
    ])
  })

  it('refuses to rename onto another table’s name', async () => {
    await birdTable('Hedge Birds')
    await birdTable('Field Birds')
    await alice.get('/alice/tables/hedge-birds/settings')
    const res = await alice.post('/alice/tables/hedge-birds/settings', { name: 'Field Birds' })
    expect(res.status).toBe(400)
    const html = await res.text()
    expect(html).toContain('Please correct the marked fields.')
    expect(fieldError(html, 'name')).toContain('already have a table called “field-birds”')
    expect((await lookup('hedge-birds')).found).toBe('table')
  })

  it.each([
    ['a blank name', { name: '' }, 'name', 'A name is required'],
    [
      'a long description',
      { name: 'Heath Birds', description: 'd'.repeat(2001) },
      'description',
      'A description must be at most 2,000 characters',
    ],
    [
      'an unknown visibility',
      { name: 'Heath Birds', visibility: 'friends' },
      'visibility',
      'Choose public or private',
    ],
  ])('refuses %s and changes nothing', async (_case, fields, field, message) => {
    const table = await birdTable(`Heath Birds ${field}`)
    await alice.get(`/alice/tables/${table.slug}/settings`)
    const res = await alice.post(`/alice/tables/${table.slug}/settings`, fields)
    expect(res.status).toBe(400)
    expect(fieldError(await res.text(), field)).toBe(message)
    const found = await lookup(table.slug)
    expect(found.found === 'table' && found.table).toMatchObject({
      name: table.name,
      description: '',
      isPublic: true,
    })
  })

  it('makes a table private, so others get 404, and sets its description', async () => {
    await birdTable('Owl Roosts')
    await alice.get('/alice/tables/owl-roosts/settings')
    const res = await alice.post('/alice/tables/owl-roosts/settings', {
      name: 'Owl Roosts',
      description: 'Barn owls only',
      visibility: 'private',
    })
    expect(res.status).toBe(303)
    const own = await alice.get('/alice/tables/owl-roosts')
    expect(own.html).toContain('<span class="badge">Private</span>')
    expect(own.html).toContain('<p class="lead">Barn owls only</p>')
    for (const browser of [bob, anonymousBrowser(t)]) {
      for (const path of [
        '/alice/tables/owl-roosts',
        '/alice/tables/owl-roosts/1',
        '/alice/tables/owl-roosts/export.csv',
      ]) {
        const { res: seen, html } = await browser.get(path)
        expect(seen.status).toBe(404)
        expect(html).not.toContain('Owl Roosts')
      }
      expect((await browser.get('/alice')).html).not.toContain('Owl Roosts')
    }
  })
})

describe('deleting a table', () => {
  it.each(['', 'wrong', 'tit boxes'])(
    'refuses the confirmation %j and keeps the table',
    async (confirm) => {
      const table = await birdTable(`Tit Boxes ${confirm || 'blank'}`)
      await alice.get(`/alice/tables/${table.slug}/settings`)
      const res = await alice.post(`/alice/tables/${table.slug}/delete`, { confirm })
      expect(res.status).toBe(400)
      expect(fieldError(await res.text(), 'confirm')).toBe(
        `Type “${table.name}” exactly to delete this table.`,
      )
      expect((await lookup(table.slug)).found).toBe('table')
      expect(await physicalTableExists(table.id)).toBe(true)
      expect((await bob.request(`/alice/tables/${table.slug}`)).status).toBe(200)
    },
  )

  it('deletes the catalog row and the data when the name is typed', async () => {
    const table = await birdTable('Swift Nests')
    await alice.get('/alice/tables/swift-nests/settings')
    const res = await alice.post('/alice/tables/swift-nests/delete', { confirm: ' Swift Nests ' })
    expect(res.status).toBe(303)
    expect(res.headers.get('location')).toBe('/alice?deleted=Swift%20Nests')
    const { html } = await alice.get(res.headers.get('location') ?? '')
    expect(html).toContain('Deleted the table “Swift Nests”.')
    expect(html).not.toContain('href="/alice/tables/swift-nests"')
    expect((await lookup('swift-nests')).found).toBe('none')
    expect(await physicalTableExists(table.id)).toBe(false)
    expect((await alice.request('/alice/tables/swift-nests')).status).toBe(404)
    expect((await alice.request('/alice/tables/swift-nests/1')).status).toBe(404)
  })
})
