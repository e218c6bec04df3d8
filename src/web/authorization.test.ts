import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { hashToken } from '../auth/sessions.js'
import type { CsvRecord } from '../csv/index.js'
import { findTable, getTableById } from '../datasource/catalog.js'
import { importNewTable } from '../datasource/import.js'
import { getRow } from '../datasource/rows.js'
import type { TableInfo } from '../datasource/types.js'
import { saveUpload } from '../import/uploads.js'
import { anonymousBrowser, createTestApp, signedInBrowser, type TestApp } from '../test/app.js'
import type { Browser } from '../test/browser.js'

let t: TestApp
let publicTable: TableInfo
let privateTable: TableInfo
let ownerId: number
beforeAll(async () => {
  t = await createTestApp()
  const owner = (await signedInBrowser(t, 'owner')).user
  ownerId = owner.id
  const other = (await signedInBrowser(t, 'other')).user
  await signedInBrowser(t, 'empty')
  const columns = [
    { name: 'Bird', type: 'text' as const },
    { name: 'Count', type: 'integer' as const },
  ]
  async function* birds(): AsyncGenerator<CsvRecord> {
    yield { line: 2, fields: ['Wren', '3'] }
    yield { line: 3, fields: ['Robin', '5'] }
  }
  const load = (ownerId: number, name: string, isPublic: boolean) =>
    importNewTable(t.database, { ownerId, name, isPublic, columns }, birds())
  publicTable = (await load(owner.id, 'Garden Birds', true)).table
  privateTable = (await load(owner.id, 'Secret Nests', false)).table
  await load(other.id, 'Other Fish', true)
  scratchTable = (name: string) => load(owner.id, name, true).then((loaded) => loaded.table)
})
// A fresh public table of the owner's, for a write route to change.
let scratchTable: (name: string) => Promise<TableInfo>
afterAll(() => t.database.close())

type Actor = 'signedOut' | 'otherUser' | 'owner'
const ACTORS: Actor[] = ['signedOut', 'otherUser', 'owner']

// Fresh browsers for each test, so a sign-out or an ended session never leaks into another test.
async function browsers() {
  const owner = await signedInBrowser(t, 'owner')
  const other = await signedInBrowser(t, 'other')
  const signedOut = anonymousBrowser(t)
  await signedOut.get('/')
  const sessionKey = async (browser: Browser) =>
    (
      await t.database.db
        .selectFrom('sessions')
        .select('key')
        .where('id', '=', hashToken(browser.cookies.get('session') ?? ''))
        .executeTakeFirstOrThrow()
    ).key
  return {
    byActor: { signedOut, otherUser: other.browser, owner: owner.browser } as Record<
      Actor,
      Browser
    >,
    ownerSessionKey: await sessionKey(owner.browser),
  }
}

const sessionExists = async (key: string) =>
  (await t.database.db
    .selectFrom('sessions')
    .select('id')
    .where('key', '=', key)
    .executeTakeFirst()) !== undefined

describe('Matrix A: reading a private table', () => {
  const rowId = 1
  const routes = [
    ['table page', (s: string) => `/owner/tables/${s}`, 'Secret Nests'],
    ['table JSON', (s: string) => `/owner/tables/${s}?format=json`, '"name":"Secret Nests"'],
    ['row page', (s: string) => `/owner/tables/${s}/${rowId}`, 'Wren'],
    ['row JSON', (s: string) => `/owner/tables/${s}/${rowId}?format=json`, '"bird":"Wren"'],
  ] as const
  const cases = routes.flatMap(([name, path, seen]) =>
    ACTORS.map((actor) => [name, actor, path, seen, actor === 'owner' ? 200 : 404] as const),
  )

  it.each(cases)('%s as %s', async (_name, actor, path, seen, status) => {
    const { byActor } = await browsers()
    const res = await byActor[actor].request(path(privateTable.slug))
    expect(res.status).toBe(status)
    const body = await res.text()
    if (status === 200) expect(body).toContain(seen)
    else {
      expect(body).not.toContain('Secret Nests')
      expect(body).not.toContain('Wren')
    }
  })

  it.each(cases)('the public table’s %s is open to %s', async (_name, actor, path, seen) => {
    const { byActor } = await browsers()
    const res = await byActor[actor].request(path(publicTable.slug))
    expect(res.status).toBe(200)
    expect(await res.text()).toContain(seen.replace('Secret Nests', 'Garden Birds'))
  })

  // Pages for changing a table: only its owner sees them, and a private one is 404 to others.
  const ownerPages = [
    ['columns page', (s: string) => `/owner/tables/${s}/columns`, 'Add a column'],
    ['column edit page', (s: string) => `/owner/tables/${s}/columns/bird`, 'Edit column'],
    ['settings page', (s: string) => `/owner/tables/${s}/settings`, 'Delete this table'],
    ['new row form', (s: string) => `/owner/tables/${s}/new`, 'Save and add another'],
    ['edit row form', (s: string) => `/owner/tables/${s}/${rowId}/edit`, 'value="Wren"'],
    ['delete row page', (s: string) => `/owner/tables/${s}/${rowId}/delete`, 'Delete row 1?'],
    ['import page', (s: string) => `/owner/tables/${s}/import`, 'Add the rows of a CSV file'],
  ] as const
  const ownerPageCases = ownerPages.flatMap(([name, path, seen]) =>
    ACTORS.map((actor) => [name, actor, path, seen, actor === 'owner' ? 200 : 404] as const),
  )

  it.each(ownerPageCases)(
    'the private table’s %s as %s',
    async (_name, actor, path, seen, status) => {
      const { byActor } = await browsers()
      const res = await byActor[actor].request(path(privateTable.slug))
      expect(res.status).toBe(status)
      const body = await res.text()
      if (status === 200) expect(body).toContain(seen)
      else expect(body).not.toContain('Secret Nests')
    },
  )

  it.each(ownerPages)('the public table’s %s sends others away', async (_name, path) => {
    const { byActor } = await browsers()
    const signedOut = await byActor.signedOut.request(path(publicTable.slug))
    expect(signedOut.status).toBe(303)
    expect(signedOut.headers.get('location')).toBe(
      `/auth/login?${new URLSearchParams({ next: path(publicTable.slug) })}`,
    )
    const other = await byActor.otherUser.request(path(publicTable.slug))
    expect(other.status).toBe(403)
    expect(await other.text()).toContain('Only owner can change this table.')
  })

  // Exports read like the table page: open to all on a public table, 404 to others on a private one.
  const exportReads = [
    ['CSV export', (s: string) => `/owner/tables/${s}/export.csv`, 'Wren,3'],
    ['JSON export', (s: string) => `/owner/tables/${s}/export.json`, '"bird":"Wren"'],
  ] as const

  it.each(
    exportReads.flatMap(([name, path]) => [
      [name, 'signedOut', path],
      [name, 'otherUser', path],
    ]) as [string, Actor, (s: string) => string][],
  )('the private table’s %s as %s is 404', async (_name, actor, path) => {
    const res = await (await browsers()).byActor[actor].request(path(privateTable.slug))
    expect(res.status).toBe(404)
    expect(await res.text()).not.toContain('Wren')
  })

  it.each(
    exportReads.flatMap(([name, path, seen]) => [
      [name, 'owner', 'private', path, seen],
      ...ACTORS.map((actor) => [name, actor, 'public', path, seen]),
    ]) as [string, Actor, 'private' | 'public', (s: string) => string, string][],
  )('%s as %s of the %s table', async (_name, actor, which, path, seen) => {
    const table = which === 'private' ? privateTable : publicTable
    const res = await (await browsers()).byActor[actor].request(path(table.slug))
    expect(res.status).toBe(200)
    expect(await res.text()).toContain(seen)
  })

  it.each([
    ['signedOut', false],
    ['otherUser', false],
    ['owner', true],
  ] as const)(
    'the owner’s profile, seen %s, lists the private table: %s',
    async (actor, listed) => {
      const browser = (await browsers()).byActor[actor]
      const { html } = await browser.get('/owner')
      expect(html).toContain('Garden Birds')
      expect(html.includes('Secret Nests')).toBe(listed)
      expect(html.includes('<span class="badge">Private</span>')).toBe(listed)
      const json = await (await browser.request('/owner?format=json')).json()
      expect(json.tables.map((table: { slug: string }) => table.slug).sort()).toEqual(
        listed ? ['garden-birds', 'secret-nests'] : ['garden-birds'],
      )
    },
  )

  it.each([
    ['signedOut', false],
    ['otherUser', false],
    ['owner', true],
  ] as const)('the dashboard, seen %s, shows the private table: %s', async (actor, shown) => {
    const { html } = await (await browsers()).byActor[actor].get('/')
    expect(html.includes('Secret Nests')).toBe(shown)
    expect(html).toContain('Garden Birds')
  })

  it('puts the signed-in user’s own tables first, under “Your tables”', async () => {
    const { byActor } = await browsers()
    const sections = async (browser: Browser) => {
      const { html } = await browser.get('/')
      const [, mine = '', others = ''] = html.split(
        /<h2>(?:Your tables|Public tables by others)<\/h2>/,
      )
      expect(html.indexOf('Your tables')).toBeLessThan(html.indexOf('Public tables by others'))
      return { mine, others }
    }
    const owner = await sections(byActor.owner)
    expect(owner.mine).toContain('Secret Nests')
    expect(owner.mine).toContain('Garden Birds')
    expect(owner.mine).not.toContain('Other Fish')
    expect(owner.others).toContain('Other Fish')
    expect(owner.others).not.toContain('Garden Birds')
    const other = await sections(byActor.otherUser)
    expect(other.mine).toContain('Other Fish')
    expect(other.others).toContain('Garden Birds')
    expect(other.others).not.toContain('Secret Nests')
    const { html } = await byActor.signedOut.get('/')
    expect(html).not.toContain('Your tables')
    expect(html).toContain('<h2>Public tables</h2>')
  })

  it('shows an empty profile to its owner and to others differently', async () => {
    const { browser } = await signedInBrowser(t, 'empty')
    expect((await browser.get('/empty')).html).toContain('You have no tables yet.')
    const { html } = await anonymousBrowser(t).get('/empty')
    expect(html).toContain('empty has no public tables yet.')
    expect(html).not.toContain('You have no tables yet.')
  })
})

// Matrix B: every write route × who is asking. Append new write routes here.
interface WriteContext {
  ownerSessionKey: string
  publicTable: TableInfo
  privateTable: TableInfo
  // A fresh public table of the owner's (Bird, Count; rows 1 Wren 3, 2 Robin 5) for each case.
  scratch: TableInfo
  // An upload of the owner's: Bird,Count / Jay,1.
  uploadId: string
  rowVersion: number
}
interface Outcome {
  status: number
  // The exact Location, or a pattern it must match.
  location?: string | RegExp
  // Checks on what is left in the database afterwards.
  after?: (ctx: WriteContext) => Promise<void>
}
interface WriteRoute {
  name: string
  method: 'POST' | 'PUT' | 'PATCH' | 'DELETE'
  path: (ctx: WriteContext) => string
  fields: (ctx: WriteContext) => Record<string, string>
  // Sent as multipart/form-data with a CSV file, the CSRF token in the URL.
  multipart?: boolean
  expect: Record<Actor, Outcome>
}

const TO_SIGN_IN = /^\/auth\/login\?next=/

const WRITE_ROUTES: WriteRoute[] = [
  {
    name: 'sign out',
    method: 'POST',
    path: () => '/auth/logout',
    fields: () => ({}),
    expect: {
      signedOut: { status: 303, location: '/' },
      otherUser: { status: 303, location: '/' },
      owner: {
        status: 303,
        location: '/',
        after: async (ctx) => expect(await sessionExists(ctx.ownerSessionKey)).toBe(false),
      },
    },
  },
  {
    name: 'end the owner’s session',
    method: 'POST',
    path: (ctx) => `/settings/sessions/${ctx.ownerSessionKey}/end`,
    fields: () => ({}),
    expect: {
      signedOut: {
        status: 303,
        location: TO_SIGN_IN,
        after: async (ctx) => expect(await sessionExists(ctx.ownerSessionKey)).toBe(true),
      },
      otherUser: {
        status: 303,
        location: '/settings',
        after: async (ctx) => expect(await sessionExists(ctx.ownerSessionKey)).toBe(true),
      },
      owner: {
        status: 303,
        location: '/',
        after: async (ctx) => expect(await sessionExists(ctx.ownerSessionKey)).toBe(false),
      },
    },
  },
]

const at = (ctx: WriteContext) => `/owner/tables/${ctx.scratch.slug}`
const scratchNow = async (ctx: WriteContext) => getTableById(t.database.db, ctx.scratch.id)
const columnsNow = async (ctx: WriteContext) => (await scratchNow(ctx))?.columns.map((c) => c.name)
const rowCountNow = async (ctx: WriteContext) => (await scratchNow(ctx))?.rowCount
const ownersTable = async (slug: string) => (await findTable(t.database.db, 'owner', slug)).found

// Signed out → sign in, someone else → 403, the owner → `location`; `done` tells whether it happened.
function ownerWrite(
  name: string,
  path: (ctx: WriteContext) => string,
  fields: (ctx: WriteContext) => Record<string, string>,
  location: RegExp,
  done?: (ctx: WriteContext) => Promise<boolean>,
  multipart = false,
): WriteRoute {
  const check = (happened: boolean) =>
    done && (async (ctx: WriteContext) => expect(await done(ctx)).toBe(happened))
  return {
    name,
    method: 'POST',
    path,
    fields,
    multipart,
    expect: {
      signedOut: { status: 303, location: TO_SIGN_IN, after: check(false) },
      otherUser: { status: 403, after: check(false) },
      owner: { status: 303, location, after: check(true) },
    },
  }
}

const S = /^\/owner\/tables\/scratch-\d+/
const under = (rest: string) => new RegExp(`${S.source}${rest}$`)
WRITE_ROUTES.push(
  ownerWrite(
    'create table',
    () => '/owner/tables/new',
    (ctx) => ({ name: `${ctx.scratch.name} copy` }),
    under('-copy/columns'),
    async (ctx) => (await ownersTable(`${ctx.scratch.slug}-copy`)) === 'table',
  ),
  ownerWrite(
    'table settings',
    (ctx) => `${at(ctx)}/settings`,
    (ctx) => ({ name: ctx.scratch.name, description: 'Changed', visibility: 'public' }),
    under('/settings\\?saved=1'),
    async (ctx) => (await scratchNow(ctx))?.description === 'Changed',
  ),
  ownerWrite(
    'delete table',
    (ctx) => `${at(ctx)}/delete`,
    (ctx) => ({ confirm: ctx.scratch.name }),
    /^\/owner\?deleted=Scratch%20\d+$/,
    async (ctx) => (await scratchNow(ctx)) === null,
  ),
  ownerWrite(
    'add column',
    (ctx) => `${at(ctx)}/columns`,
    () => ({ name: 'Wingspan', type: 'decimal' }),
    under('/columns'),
    async (ctx) => (await columnsNow(ctx))?.includes('Wingspan') === true,
  ),
  ownerWrite(
    'edit column',
    (ctx) => `${at(ctx)}/columns/bird`,
    () => ({ name: 'Species', type: 'text' }),
    under('/columns'),
    async (ctx) => (await columnsNow(ctx))?.[0] === 'Species',
  ),
  ownerWrite(
    'move column',
    (ctx) => `${at(ctx)}/columns/count/move`,
    () => ({ direction: 'up' }),
    under('/columns'),
    async (ctx) => (await columnsNow(ctx))?.[0] === 'Count',
  ),
  ownerWrite(
    'delete column',
    (ctx) => `${at(ctx)}/columns/count/delete`,
    () => ({}),
    under('/columns'),
    async (ctx) => (await columnsNow(ctx))?.length === 1,
  ),
  ownerWrite(
    'new row',
    (ctx) => `${at(ctx)}/new`,
    () => ({ bird: 'Jay', count: '1' }),
    under('/3'),
    async (ctx) => (await rowCountNow(ctx)) === 3,
  ),
  ownerWrite(
    'edit row',
    (ctx) => `${at(ctx)}/1/edit`,
    (ctx) => ({ _version: String(ctx.rowVersion), bird: 'Wren', count: '4' }),
    under('/1'),
    async (ctx) => (await getRow(t.database.db, ctx.scratch, 1))?.cells[1] === '4',
  ),
  ownerWrite(
    'delete row',
    (ctx) => `${at(ctx)}/1/delete`,
    () => ({}),
    under('\\?deleted=1'),
    async (ctx) => (await getRow(t.database.db, ctx.scratch, 1)) === null,
  ),
  ownerWrite(
    'bulk delete rows',
    (ctx) => `${at(ctx)}/delete-rows`,
    () => ({ ids: '2' }),
    under('\\?deleted=1'),
    async (ctx) => (await getRow(t.database.db, ctx.scratch, 2)) === null,
  ),
  ownerWrite(
    'import upload for a new table',
    () => '/owner/tables/import',
    () => ({}),
    /^\/owner\/tables\/import\/\d+-[\w-]{16}$/,
    undefined,
    true,
  ),
  ownerWrite(
    'import upload for a table',
    (ctx) => `${at(ctx)}/import`,
    () => ({}),
    under('/import/\\d+-[\\w-]{16}'),
    undefined,
    true,
  ),
  ownerWrite(
    'import confirm for a new table',
    (ctx) => `/owner/tables/import/${ctx.uploadId}`,
    (ctx) => ({
      name: `${ctx.scratch.name} imported`,
      name0: 'Bird',
      type0: 'text',
      name1: 'Count',
      type1: 'integer',
    }),
    under('-imported'),
    async (ctx) => (await ownersTable(`${ctx.scratch.slug}-imported`)) === 'table',
  ),
  ownerWrite(
    'import confirm for a table',
    (ctx) => `${at(ctx)}/import/${ctx.uploadId}`,
    () => ({ column0: 'bird', column1: 'count' }),
    under('\\?imported=1'),
    async (ctx) => (await rowCountNow(ctx)) === 3,
  ),
)

function multipartBody(fields: Record<string, string>) {
  const form = new FormData()
  for (const [name, value] of Object.entries(fields)) form.append(name, value)
  form.append('file', new Blob(['Bird,Count\nJay,1\n'], { type: 'text/csv' }), 'jays.csv')
  return form
}

let scratches = 0
async function writeContext(ownerSessionKey: string): Promise<WriteContext> {
  const scratch = await scratchTable(`Scratch ${++scratches}`)
  const form = new FormData()
  form.append('file', new Blob(['Bird,Count\nJay,1\n']), 'jays.csv')
  const upload = await saveUpload(
    new Request('http://localhost/', { method: 'POST', body: form }),
    ownerId,
    { dir: t.config.uploadDir, maxPending: 1000, maxPendingBytes: 1e9 },
  )
  const rowVersion = (await getRow(t.database.db, scratch, 1))?.version ?? 0
  return { ownerSessionKey, publicTable, privateTable, scratch, uploadId: upload.id, rowVersion }
}

describe('Matrix B: write routes', () => {
  const cases = WRITE_ROUTES.flatMap((route) =>
    ACTORS.map((actor) => [route.name, actor, route] as const),
  )

  it.each(cases)('%s as %s', async (_name, actor, route) => {
    const { byActor, ownerSessionKey } = await browsers()
    const ctx = await writeContext(ownerSessionKey)
    const browser = byActor[actor]
    const res = route.multipart
      ? await browser.request(`${route.path(ctx)}?_csrf=${browser.csrfToken}`, {
          method: route.method,
          body: multipartBody(route.fields(ctx)),
          headers: { origin: 'http://localhost' },
        })
      : await browser.request(route.path(ctx), {
          method: route.method,
          body: new URLSearchParams({ _csrf: browser.csrfToken, ...route.fields(ctx) }),
          headers: {
            'content-type': 'application/x-www-form-urlencoded',
            origin: 'http://localhost',
          },
        })
    const outcome = route.expect[actor]
    expect(res.status).toBe(outcome.status)
    const location = res.headers.get('location') ?? ''
    if (typeof outcome.location === 'string') expect(location).toBe(outcome.location)
    else if (outcome.location) expect(location).toMatch(outcome.location)
    await outcome.after?.(ctx)
  })
})
