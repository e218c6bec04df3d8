// Every form route × a list of hostile values: never a 5xx, and a refused request leaves the
// database (and the upload folder) exactly as it was. The routes come from the app itself, so a
// new form route fails this test until it is listed here with its fields.
import { readdir } from 'node:fs/promises'
import { sql } from 'kysely'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createSession, generateSessionToken } from '../auth/sessions.js'
import type { CsvRecord } from '../csv/index.js'
import { importNewTable } from '../datasource/import.js'
import type { TableInfo } from '../datasource/types.js'
import { saveUpload } from '../import/uploads.js'
import { createTestApp, signedInBrowser, type TestApp } from '../test/app.js'
import type { Browser } from '../test/browser.js'

let t: TestApp
beforeAll(async () => {
  t = await createTestApp()
})
afterAll(() => t.database.close())

// One column of every type, and a row with a good value in each.
const COLUMNS = [
  { name: 'Text', type: 'text', value: 'Wren' },
  { name: 'Long text', type: 'long_text', value: 'A small brown bird' },
  { name: 'Integer', type: 'integer', value: '3' },
  { name: 'Decimal', type: 'decimal', value: '1.5' },
  { name: 'Boolean', type: 'boolean', value: 'yes' },
  { name: 'Date', type: 'date', value: '2017-06-08' },
  { name: 'Datetime', type: 'datetime', value: '2017-06-08 22:00' },
  { name: 'Choice', type: 'choice', value: 'garden', choices: ['garden', 'field'] },
  { name: 'Email', type: 'email', value: 'wren@example.org' },
  { name: 'Url', type: 'url', value: 'https://example.org/wren' },
  { name: 'Json', type: 'json', value: '{"wings":2}' },
] as const
const SLUGS = COLUMNS.map((column) => column.name.toLowerCase().replace(' ', '_'))
const COLUMN_FORM = ['name', 'type', 'required', 'unique', 'default_value', 'choices']

interface FormRoute {
  fields: string[]
  // Sent as multipart/form-data with a CSV file (the CSRF token in the URL), as upload forms are.
  upload?: boolean
}

// Every POST route of the app, with the fields its form sends.
const FORM_ROUTES: Record<string, FormRoute> = {
  '/mock-github/login/oauth/authorize': {
    fields: ['redirect_uri', 'state', 'scope', 'login', 'name', 'github_id', 'decision'],
  },
  '/mock-github/login/oauth/access_token': {
    fields: ['code', 'redirect_uri', 'client_id', 'client_secret', 'grant_type'],
  },
  '/auth/login': { fields: ['next'] },
  '/auth/logout': { fields: ['next'] },
  '/settings/sessions/:key/end': { fields: ['key'] },
  '/settings/tokens': { fields: ['name', 'scopes', 'tables', 'expiry'] },
  '/settings/tokens/:id{[0-9]{1,9}}/revoke': { fields: ['id'] },
  '/:username/tables/new': { fields: ['name', 'description', 'visibility'] },
  '/:username/tables/import': { fields: ['name'], upload: true },
  '/:username/tables/import/:upload': {
    fields: ['name', 'visibility', 'name0', 'type0', 'name1', 'type1'],
  },
  '/:username/tables/:table/settings': { fields: ['name', 'description', 'visibility'] },
  '/:username/tables/:table/delete': { fields: ['confirm'] },
  '/:username/tables/:table/import': { fields: ['name'], upload: true },
  '/:username/tables/:table/import/:upload': { fields: ['column0', 'column1'] },
  '/:username/tables/:table/columns': { fields: COLUMN_FORM },
  '/:username/tables/:table/columns/:column': { fields: COLUMN_FORM },
  '/:username/tables/:table/columns/:column/move': { fields: ['direction'] },
  '/:username/tables/:table/columns/:column/delete': { fields: ['confirm'] },
  '/:username/tables/:table/new': { fields: [...SLUGS, '_another'] },
  '/:username/tables/:table/:row{[0-9]+}/edit': { fields: [...SLUGS, '_version'] },
  '/:username/tables/:table/:row{[0-9]+}/delete': { fields: ['_version'] },
  '/:username/tables/:table/delete-rows': { fields: ['ids', 'back'] },
  '/:username/tables/:table/shown-columns': { fields: ['columns'] },
  '/:username/tables/:table/views': { fields: ['name', 'query'] },
  '/:username/tables/:table/views/:view/delete': { fields: [] },
  '/:username/tables/:table/:row{[0-9]{1,15}}/files/:column': { fields: [], upload: true },
  '/:username/tables/:table/:row{[0-9]{1,15}}/files/:column/delete': { fields: [] },
}

// How each hostile value is put into a form: the same value in every field, or a shape of body.
type Body = { kind: 'value'; value: string } | { kind: 'raw'; encode: (field: string) => string }
const value = (text: string): Body => ({ kind: 'value', value: text })
const raw = (encode: (field: string) => string): Body => ({ kind: 'raw', encode })
const HOSTILE: [string, Body][] = [
  ['empty', value('')],
  ['1 MB', value('x'.repeat(1024 * 1024))],
  ['a NUL', value('Wr\u0000en')],
  ['invalid UTF-8', raw((field) => `${field}=%FF%FEx%C3`)],
  ['an encoded lone surrogate', raw((field) => `${field}=%ED%A0%80`)],
  ['an RTL override', value('\u202eneerW')],
  ['HTML', value('<script>alert(1)</script><img src=x onerror=alert(2)>')],
  ['an SQL fragment', value("'); drop table users; --")],
  ['1e309', value('1e309')],
  ['2^63', value('9223372036854775808')],
  ['-2^63 - 1', value('-9223372036854775809')],
  ['an impossible date', value('2023-02-30')],
  ['invalid JSON', value('{"wings": 2,')],
  ['an array where a value is expected', raw((field) => `${field}[]=a&${field}[]=b`)],
  ['a duplicated field', raw((field) => `${field}=a&${field}=%00`)],
  ['every field missing', raw(() => '')],
  // Values the data layer must refuse itself (the "dshard" fixes): JSON that jsonb cannot hold,
  // a decimal of 20,000 digits, a 9 kB text (too big for a row with a default in every row).
  ['JSON with an escaped NUL', value('"\\u0000"')],
  ['JSON with a lone surrogate', value('{"a":"\\ud800"}')],
  ['a decimal of 20,000 digits', value('9'.repeat(20_000))],
  ['9 kB of text', value('x'.repeat(9 * 1024))],
]

// What a hostile request may not change when it is refused: the catalog, the table's rows, the
// user tables that exist, and the files waiting for review.
async function snapshot(table: TableInfo) {
  const db = t.database.db
  return {
    users: await db.selectFrom('users').selectAll().orderBy('id').execute(),
    tables: await db.selectFrom('tables').selectAll().orderBy('id').execute(),
    columns: await db.selectFrom('columns').selectAll().orderBy('id').execute(),
    redirects: await db.selectFrom('table_redirects').selectAll().orderBy('slug').execute(),
    views: await db.selectFrom('table_views').selectAll().orderBy('id').execute(),
    storage: (
      await sql<{ name: string }>`select table_name as name from information_schema.tables
        where table_schema = 'userdata' order by 1`.execute(db)
    ).rows,
    rows: (await sql`select * from ${sql.table(`userdata.t${table.id}`)} order by id`.execute(db))
      .rows,
    uploads: (await readdir(t.config.uploadDir).catch(() => [])).sort(),
  }
}

interface Fixture {
  browser: Browser
  table: TableInfo
  uploadId: string
  sessionKey: string
}

let made = 0
async function fixture(): Promise<Fixture> {
  const { browser, user } = await signedInBrowser(t, 'owner')
  async function* rows(): AsyncGenerator<CsvRecord> {
    yield { line: 2, fields: COLUMNS.map((column) => column.value) }
  }
  const columns = COLUMNS.map(({ name, type, ...rest }) => ({
    name,
    type,
    choices: 'choices' in rest ? [...rest.choices] : null,
  }))
  const { table } = await importNewTable(
    t.database,
    { ownerId: user.id, name: `Hostile ${++made}`, columns },
    rows(),
  )
  const form = new FormData()
  form.append('file', new Blob(['Text,Integer\nWren,3\n']), 'birds.csv')
  const upload = await saveUpload(
    new Request('http://localhost/', { method: 'POST', body: form }),
    user.id,
    { dir: t.config.uploadDir, maxPending: 1000, maxPendingBytes: 1e10 },
  )
  const other = await createSession(t.database.db, generateSessionToken(), user.id, 'test')
  await browser.get(`/owner/tables/${table.slug}`)
  return { browser, table, uploadId: upload.id, sessionKey: other.key }
}

function concretePath(route: string, fx: Fixture): string {
  const values: Record<string, string> = {
    ':username': 'owner',
    ':table': fx.table.slug,
    ':upload': fx.uploadId,
    ':column': 'text',
    ':row{[0-9]+}': '1',
    ':row{[0-9]{1,15}}': '1',
    ':key': fx.sessionKey,
    ':id{[0-9]{1,9}}': '1',
    ':view': 'a-view',
  }
  return route
    .split('/')
    .map((part) => values[part] ?? part)
    .join('/')
}

function send(route: string, body: Body, fx: Fixture): Promise<Response> {
  const { fields, upload } = FORM_ROUTES[route] as FormRoute
  const path = concretePath(route, fx)
  const headers = { origin: 'http://localhost' }
  if (upload) {
    const form = new FormData()
    const text = body.kind === 'value' ? body.value : 'a'
    for (const field of fields) form.append(field, text)
    if (body.kind === 'value' || body.encode('f') !== '') {
      const cell = `"${text.replaceAll('"', '""')}"`
      form.append('file', new Blob([`Text,Integer\n${cell},3\n`]), `${text.slice(0, 50)}.csv`)
    }
    return fx.browser.request(`${path}?_csrf=${encodeURIComponent(fx.browser.csrfToken)}`, {
      method: 'POST',
      body: form,
      headers,
    })
  }
  const parts = fields.map((field) =>
    body.kind === 'value'
      ? `${encodeURIComponent(field)}=${encodeURIComponent(body.value)}`
      : body.encode(encodeURIComponent(field)),
  )
  return fx.browser.request(path, {
    method: 'POST',
    body: [`_csrf=${encodeURIComponent(fx.browser.csrfToken)}`, ...parts].filter(Boolean).join('&'),
    headers: { ...headers, 'content-type': 'application/x-www-form-urlencoded' },
  })
}

describe('hostile values in every form', () => {
  // The API takes JSON, not forms: src/api/hostile-bodies.test.ts sends it hostile bodies.
  it('covers every POST route the app has, and nothing more', () => {
    const forms = t.app.routes.filter((r) => r.method === 'POST' && !r.path.startsWith('/api/'))
    const registered = new Set(forms.map((r) => r.path))
    expect([...registered].sort()).toEqual(Object.keys(FORM_ROUTES).sort())
  })

  describe.each(Object.keys(FORM_ROUTES))('%s', (route) => {
    // A fixture is reused while requests are refused, and replaced after one that changed it.
    let fx: Fixture | null = null

    it.each(HOSTILE)('answers %s without a 5xx or a partial write', async (_name, body) => {
      fx ??= await fixture()
      const before = await snapshot(fx.table)
      const res = await send(route, body, fx)
      const text = await res.text()
      expect(res.status, text.slice(0, 500)).toBeLessThan(500)
      if (res.status >= 400) expect(await snapshot(fx.table)).toEqual(before)
      else fx = null
    })
  })
})

// The same values, one field at a time in an otherwise good form, so each reaches the data layer:
// as a new column's default (for every type), and as one cell of a new row.
describe('hostile values in one field of a good form', () => {
  const values = HOSTILE.flatMap(([name, body]) =>
    body.kind === 'value' ? [[name, body.value] as const] : [],
  )
  let fx: Fixture
  let added = 0
  beforeAll(async () => {
    fx = await fixture()
  })

  const post = (path: string, fields: Record<string, string>) =>
    fx.browser.request(path, {
      method: 'POST',
      body: new URLSearchParams({ _csrf: fx.browser.csrfToken, ...fields }),
      headers: { origin: 'http://localhost', 'content-type': 'application/x-www-form-urlencoded' },
    })

  const defaults = COLUMNS.flatMap((column) =>
    values.map(([name, text]) => [column.type, name, text] as const),
  )
  const addColumn = async (type: string, text: string) => {
    const before = await snapshot(fx.table)
    const res = await post(`/owner/tables/${fx.table.slug}/columns`, {
      name: `Added ${++added}`,
      type,
      default_value: text,
      choices: type === 'choice' ? `${text}\ngarden` : '',
    })
    expect(res.status, (await res.text()).slice(0, 500)).toBeLessThan(500)
    if (res.status >= 400) expect(await snapshot(fx.table)).toEqual(before)
  }
  it.each(defaults)('a %s column’s default: %s', (type, _name, text) => addColumn(type, text))

  it.each(SLUGS.flatMap((slug) => values.map(([name, text]) => [slug, name, text])))(
    'a new row’s %s: %s',
    async (slug, _name, text) => {
      const good = Object.fromEntries(SLUGS.map((s, i) => [s, COLUMNS[i]?.value ?? '']))
      const before = await snapshot(fx.table)
      const res = await post(`/owner/tables/${fx.table.slug}/new`, { ...good, [slug]: text })
      expect(res.status, (await res.text()).slice(0, 500)).toBeLessThan(500)
      if (res.status >= 400) expect(await snapshot(fx.table)).toEqual(before)
    },
  )
})
