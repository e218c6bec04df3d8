// End to end in a real browser: one user's journey, step by step, against the app served in-process
// on a fresh database (in-memory PGlite, or Postgres when TEST_DATABASE_URL is set).
import { mkdir, mkdtemp, readFile, rm } from 'node:fs/promises'
import type { AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { type ServerType, serve } from '@hono/node-server'
import { type Browser, chromium, type Locator, type Page } from 'playwright-core'
import sharp from 'sharp'
import { afterAll, beforeAll, beforeEach, describe, expect, onTestFailed, test } from 'vitest'
import { readConfig } from '../src/config.js'
import type { Database } from '../src/db/database.js'
import { createTestDatabase } from '../src/test/database.js'
import { createApp } from '../src/web/app.js'

const CHROMIUM = process.env.CHROMIUM_PATH || '/usr/bin/chromium'
const OUTPUT = fileURLToPath(new URL('../test-output/', import.meta.url))
const fixture = (name: string) => fileURLToPath(new URL(`./fixtures/${name}`, import.meta.url))

const LOGIN = 'e2e-tester'
const DISPLAY_NAME = 'Ada Tester'
const TABLE = `/${LOGIN}/tables/people`

let database: Database
let server: ServerType
let browser: Browser
let page: Page
let base = ''
let failed = false
let filesDir = ''

beforeAll(async () => {
  // The database (a few seconds on PGlite) and Chromium start side by side.
  const [db, chromiumBrowser] = await Promise.all([
    createTestDatabase(),
    chromium.launch({
      executablePath: CHROMIUM,
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-background-networking',
        '--disable-component-update',
        '--no-first-run',
        '--disable-sync',
      ],
    }),
  ])
  database = db
  browser = chromiumBrowser
  filesDir = await mkdtemp(join(tmpdir(), 'hostedapi-e2e-files-'))
  const app = createApp({ config: readConfig({ NODE_ENV: 'test', FILES_DIR: filesDir }), database })
  server = await new Promise<ServerType>((resolve) => {
    const started = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }, () =>
      resolve(started),
    )
  })
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
  const context = await browser.newContext({
    baseURL: base,
    viewport: { width: 1280, height: 900 },
    acceptDownloads: true,
  })
  page = await context.newPage()
  page.setDefaultTimeout(15_000)
  // A destructive form asks window.confirm first (static/app.js): say yes, as a user would.
  page.on('dialog', (dialog) => void dialog.accept())
  await mkdir(OUTPUT, { recursive: true })
  await rm(`${OUTPUT}failure.png`, { force: true })
})

afterAll(async () => {
  await browser?.close()
  await new Promise((resolve) => (server ? server.close(resolve) : resolve(undefined)))
  await database?.close()
  if (filesDir) await rm(filesDir, { recursive: true, force: true })
})

// The steps build on each other: after the first failure the rest are skipped, not piled up.
beforeEach((context) => {
  if (failed) context.skip()
  onTestFailed(async () => {
    failed = true
    await page?.screenshot({ path: `${OUTPUT}failure.png`, fullPage: true }).catch(() => {})
  })
})

// playwright-core has no expect of its own: poll what the user would see until it matches.
const eventually = <T>(read: () => Promise<T>) =>
  expect.poll(read, { timeout: 15_000, interval: 100 })
const text = (locator: Locator) =>
  eventually(async () => squash((await locator.textContent()) ?? ''))
const texts = (locator: Locator) =>
  eventually(async () => (await locator.allTextContents()).map(squash))
const value = (locator: Locator) => eventually(() => locator.inputValue())
const attribute = (locator: Locator, name: string) => eventually(() => locator.getAttribute(name))
const visible = (locator: Locator) => locator.waitFor({ state: 'visible' })
const squash = (s: string) => s.replace(/\s+/g, ' ').trim()
const lowerText = (locator: Locator) =>
  eventually(async () => squash((await locator.textContent()) ?? '').toLowerCase())
const columnItem = (name: string) =>
  page.locator('.list__item').filter({ has: page.getByText(name, { exact: true }) })
// A header's accessible name ends with its sort arrow (CSS ::after), e.g. "Age ↕".
const sortLink = (name: string) => page.locator('thead a.sort').getByText(name, { exact: true })
const count = () => text(page.locator('.count'))
const rowCount = () => eventually(() => page.locator('table.data tbody tr').count())

// The text of one column's cells on the table page, top to bottom.
function columnTexts(name: string): Promise<string[]> {
  return page.locator('table.data').evaluate((table, name) => {
    // A header holds its sort link and a link that hides the column.
    const headers = [...table.querySelectorAll('thead th')].map((th) =>
      (th.querySelector('a.sort') ?? th).textContent?.trim(),
    )
    const index = headers.indexOf(name)
    return [...table.querySelectorAll('tbody tr')].map(
      (row) => row.querySelectorAll('td')[index]?.textContent?.trim() ?? '',
    )
  }, name)
}

async function addColumn(name: string, type: string, required = false) {
  await page.getByLabel('Name', { exact: true }).fill(name)
  await page.getByLabel('Type', { exact: true }).selectOption({ label: type })
  if (required) await page.getByLabel('Required').check()
  await page.getByRole('button', { name: 'Add column' }).click()
  await lowerText(columnItem(name)).toContain(type.toLowerCase())
}

async function fillRow(values: { name: string; age: string; email: string }) {
  await page.getByLabel('Name').fill(values.name)
  await page.getByLabel('Age').fill(values.age)
  await page.getByLabel('Email').fill(values.email)
}

describe.sequential('a user in the browser', () => {
  test('signs in through the mock GitHub and sees their profile', async () => {
    await page.goto('/')
    await page.getByRole('button', { name: 'Sign in with GitHub' }).click()
    await visible(page.getByRole('heading', { name: 'Authorize HostedAPI' }))
    await page.getByLabel('GitHub login').fill(LOGIN)
    await page.getByLabel('Name (optional)').fill(DISPLAY_NAME)
    await page.getByRole('button', { name: 'Authorize' }).click()
    // Signing in from the home page lands on your own profile.
    await page.waitForURL(`${base}/${LOGIN}`)

    const account = page.getByRole('navigation', { name: 'Account' })
    await text(account).toContain(DISPLAY_NAME)
    await account.locator('summary').click()
    await account.getByRole('link', { name: 'Your profile' }).click()
    await page.waitForURL(`${base}/${LOGIN}`)
    await text(page.getByRole('heading', { level: 1 })).toBe(DISPLAY_NAME)
    await visible(page.getByText(`@${LOGIN}`))
    const avatar = page.locator('.profile img.avatar')
    await visible(avatar)
    await attribute(avatar, 'src').toMatch(new RegExp(`/mock-github/avatars/${LOGIN}`))
    // Loaded, not a broken image.
    expect(
      await avatar.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth),
    ).toBeGreaterThan(0)
  })

  test('creates a table and gives it three typed columns', async () => {
    await page.getByRole('link', { name: 'New table' }).click()
    await page.getByLabel('Name').fill('People')
    await page.getByLabel('Description').fill('Everyone we met this year.')
    await page.getByRole('button', { name: 'Create table' }).click()
    await page.waitForURL(`${base}${TABLE}/columns`)
    await visible(page.getByText('This table has no columns yet.'))

    await addColumn('Name', 'Text', true)
    await addColumn('Age', 'Integer')
    await addColumn('Email', 'Email')
    await texts(page.locator('.list__item strong')).toEqual(['Name', 'Age', 'Email'])
    await lowerText(columnItem('Name')).toContain('required')
  })

  test('adds rows, and fixes one that fails validation', async () => {
    await page
      .getByRole('navigation', { name: 'Table' })
      .getByRole('link', { name: 'Rows' })
      .click()
    await count().toBe('No rows yet')
    await page.getByRole('link', { name: 'New row' }).click()

    await fillRow({ name: 'Ada Lovelace', age: '36', email: 'ada@example.net' })
    await page.getByRole('button', { name: 'Save and add another' }).click()
    await page.waitForURL(/\/new\?added=\d+$/)
    await value(page.getByLabel('Name')).toBe('')

    await fillRow({ name: 'Grace Hopper', age: 'abc', email: 'grace@example.net' })
    await page.getByRole('button', { name: 'Save and add another' }).click()
    const age = page.getByLabel('Age')
    const error = page.locator('#field-age-error')
    await text(error).toBe('Must be a whole number')
    await visible(error)
    await text(page.getByRole('alert')).toContain('Please correct the marked fields')
    // The input keeps what was typed, is marked invalid, and its message sits right under it.
    await value(age).toBe('abc')
    await attribute(age, 'aria-invalid').toBe('true')
    await value(page.getByLabel('Name')).toBe('Grace Hopper')
    await value(page.getByLabel('Email')).toBe('grace@example.net')
    const input = await age.boundingBox()
    const message = await error.boundingBox()
    expect(input && message).toBeTruthy()
    if (input && message) {
      expect(message.y).toBeGreaterThanOrEqual(input.y + input.height - 1)
      expect(message.y - (input.y + input.height)).toBeLessThan(40)
      expect(Math.abs(message.x - input.x)).toBeLessThan(40)
    }

    await page.screenshot({ path: `${OUTPUT}row-error-1280x900.png` })

    await age.fill('85')
    await page.getByRole('button', { name: 'Save and add another' }).click()
    await page.waitForURL(/\/new\?added=\d+$/)

    await fillRow({ name: 'Alan Turing', age: '41', email: 'alan@example.net' })
    await page.getByRole('button', { name: 'Save row' }).click()
    await visible(page.getByRole('heading', { name: /^Row \d+$/ }))
    await text(page.locator('.fields')).toContain('Alan Turing')

    await page.getByRole('link', { name: '← Back to People' }).click()
    await count().toBe('1–3 of 3 rows')
    expect(await columnTexts('Name')).toEqual(['Ada Lovelace', 'Grace Hopper', 'Alan Turing'])
    expect(await columnTexts('Age')).toEqual(['36', '85', '41'])
  })

  test('appends 60 rows from a CSV file through the Import CSV tab', async () => {
    await page
      .getByRole('navigation', { name: 'Table' })
      .getByRole('link', { name: 'Import CSV' })
      .click()
    await page.getByLabel('CSV file').setInputFiles(fixture('people.csv'))
    await page.getByRole('button', { name: 'Upload and review' }).click()
    await visible(page.getByText('people.csv'))
    // Every CSV column is matched to the table column of the same name.
    await value(page.locator('select#column0')).toBe('name')
    await value(page.locator('select#column1')).toBe('age')
    await value(page.locator('select#column2')).toBe('email')
    await page.getByRole('button', { name: 'Add 60 rows' }).click()
    await page.waitForURL(new RegExp(`${TABLE}\\?imported=60$`))
    await count().toBe('1–25 of 63 rows')
    await rowCount().toBe(25)
  })

  test('takes screenshots of the table page, wide and narrow', async () => {
    await page.goto(TABLE)
    await count().toBe('1–25 of 63 rows')
    await page.screenshot({ path: `${OUTPUT}table-1280x900.png` })
    await page.setViewportSize({ width: 390, height: 844 })
    await page.screenshot({ path: `${OUTPUT}table-390x844.png` })
    // Nothing but the table itself may scroll sideways on a phone.
    const overflow = await page.evaluate(
      () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
    )
    expect(overflow).toBeLessThanOrEqual(0)
    await page.setViewportSize({ width: 1280, height: 900 })
  })

  test('searches the text columns', async () => {
    const search = page.getByRole('searchbox', { name: 'Search this table' })
    await search.fill('example.org')
    await search.press('Enter')
    await page.waitForURL(/search=example\.org/)
    await count().toBe('1–15 of 15 rows matching “example.org”')
    const emails = await columnTexts('Email')
    expect(emails).toHaveLength(15)
    for (const email of emails) expect(email).toMatch(/@example\.org$/)

    await page.getByRole('link', { name: 'Clear' }).click()
    await count().toBe('1–25 of 63 rows')
  })

  test('sorts by a column: ascending, then descending', async () => {
    await sortLink('Age').click()
    await page.waitForURL(/order=age(&|$)/)
    await attribute(page.locator('th', { hasText: 'Age' }), 'aria-sort').toBe('ascending')
    const ascending = (await columnTexts('Age')).map(Number)
    expect(ascending.slice(0, 5)).toEqual([18, 19, 20, 21, 22])
    expect(ascending).toEqual([...ascending].sort((a, b) => a - b))

    await sortLink('Age').click()
    await page.waitForURL(/order=-age(&|$)/)
    await attribute(page.locator('th', { hasText: 'Age' }), 'aria-sort').toBe('descending')
    const descending = (await columnTexts('Age')).map(Number)
    expect(descending.slice(0, 3)).toEqual([85, 77, 76])
    expect(descending).toEqual([...descending].sort((a, b) => b - a))
    expect((await columnTexts('Name'))[0]).toBe('Grace Hopper')
  })

  test('pages through the rows, keeping the order', async () => {
    const pages = page.getByRole('navigation', { name: 'Pages' })
    await pages.getByRole('link', { name: 'Next ›' }).click()
    await page.waitForURL(/page=2/)
    expect(page.url()).toContain('order=-age')
    await count().toBe('26–50 of 63 rows')
    await text(pages.locator('[aria-current="page"]')).toBe('2')
    // Page 2 carries on where page 1 stopped (85, 77, 76 … 54).
    expect((await columnTexts('Age')).map(Number).slice(0, 2)).toEqual([53, 52])

    await pages.getByRole('link', { name: '3', exact: true }).click()
    await page.waitForURL(/page=3/)
    await count().toBe('51–63 of 63 rows')
    await rowCount().toBe(13)
    await attribute(pages.getByText('Next ›'), 'aria-disabled').toBe('true')
    expect((await columnTexts('Age')).at(-1)).toBe('18')
  })

  test('edits a row', async () => {
    await page.goto(`${TABLE}?search=Grace+Hopper`)
    await page.locator('table.data tbody tr').first().locator('td.data__id a').click()
    await text(page.locator('.fields')).toContain('grace@example.net')
    await page.getByRole('link', { name: 'Edit' }).click()
    await value(page.getByLabel('Age')).toBe('85')
    await page.getByLabel('Email').fill('grace.hopper@navy.example')
    await page.getByRole('button', { name: 'Save row' }).click()
    await visible(page.getByRole('heading', { name: /^Row \d+$/ }))
    await text(page.locator('.fields')).toContain('grace.hopper@navy.example')
    await text(page.locator('.fields')).not.toContain('grace@example.net')
  })

  test('deletes a row after a confirmation page', async () => {
    await page.goto(`${TABLE}?search=Alan+Turing`)
    await page.locator('table.data tbody tr').first().locator('td.data__id a').click()
    await page.getByRole('link', { name: 'Delete' }).click()
    await visible(page.getByRole('heading', { name: /^Delete row \d+\?$/ }))
    await text(page.locator('.fields')).toContain('Alan Turing')
    await page.getByRole('button', { name: 'Delete row' }).click()
    await page.waitForURL(new RegExp(`${TABLE}\\?deleted=1$`))
    await count().toBe('1–25 of 62 rows')
    await page.goto(`${TABLE}?search=Alan+Turing`)
    await count().toBe('No rows match “Alan Turing”')
  })

  test('adds a filter from the filter bar, and removes it with its chip', async () => {
    await page.goto(TABLE)
    const bar = page.locator('form[data-filter-form]')
    await bar.getByLabel('Filter on column').selectOption({ label: 'Age' })
    // The script offers only the operators an integer column takes.
    expect(await bar.locator('option[value="contains"]').isDisabled()).toBe(true)
    await bar.getByLabel('Operator').selectOption('gt')
    await bar.getByLabel('Value').fill('50')
    await bar.getByRole('button', { name: 'Add filter' }).click()
    await page.waitForURL(/age__gt=50/)
    await texts(page.locator('.chip span')).toEqual(['Age > 50'])
    const ages = (await columnTexts('Age')).map(Number)
    expect(ages.length).toBeGreaterThan(0)
    for (const age of ages) expect(age).toBeGreaterThan(50)
    await count().toMatch(/^1–\d+ of \d+ rows$/)

    await page.getByRole('link', { name: 'Remove the filter Age > 50' }).click()
    await page.waitForURL(`${base}${TABLE}`)
    await count().toBe('1–25 of 62 rows')
  })

  test('clicks a facet value, which adds its filter', async () => {
    await page.goto(`${TABLE}?age__gt=50&_facet=age`)
    const facet = page.locator('.facet[data-facet="age"]')
    const first = facet.locator('.facet__values li').first()
    const label = squash((await first.locator('a').textContent()) ?? '')
    const howMany = Number(squash((await first.locator('.facet__count').textContent()) ?? ''))
    await first.locator('a').click()
    await page.waitForURL(new RegExp(`age__exact=${label}`))
    await texts(page.locator('.chip span')).toEqual(['Age > 50', `Age is ${label}`])
    expect(await columnTexts('Age')).toEqual(Array(howMany).fill(label))
    await text(facet.locator('strong')).toBe(label)
  })

  test('hides a column, then saves the view and opens it again', async () => {
    await page.goto(`${TABLE}?age__gt=50&_facet=age`)
    await page.getByRole('link', { name: 'Hide the column Email' }).click()
    await page.waitForURL(/_nocol=email/)
    await texts(page.locator('thead th a.sort')).toEqual(['Name', 'Age'])

    await page.locator('summary', { hasText: 'Save as a view' }).click()
    await page.getByLabel('View name').fill('Over fifty')
    await page.getByRole('button', { name: 'Save view' }).click()
    await page.waitForURL(new RegExp(`${TABLE}/views/over-fifty\\?saved=view$`))
    const tabs = page.getByRole('navigation', { name: 'Views' })
    await text(tabs.locator('[aria-current="page"]')).toBe('Over fifty')

    await page.goto(TABLE)
    await texts(page.locator('thead th a.sort')).toEqual(['Name', 'Age', 'Email'])
    await tabs.getByRole('link', { name: 'Over fifty' }).click()
    await page.waitForURL(`${base}${TABLE}/views/over-fifty`)
    await texts(page.locator('thead th a.sort')).toEqual(['Name', 'Age'])
    await texts(page.locator('.chip span')).toEqual(['Age > 50'])
    for (const age of (await columnTexts('Age')).map(Number)) expect(age).toBeGreaterThan(50)
    await visible(page.locator('.facet[data-facet="age"]'))
  })

  test('imports a CSV file as a new table, reviewing names and types first', async () => {
    await page.goto(`/${LOGIN}`)
    await page.getByRole('link', { name: 'Import CSV' }).click()
    await page.getByLabel('CSV file').setInputFiles(fixture('cities.csv'))
    await page.getByRole('button', { name: 'Upload and review' }).click()
    await visible(page.getByRole('heading', { name: 'Review the import' }))
    await text(page.getByText('cities.csv ·')).toContain(
      'cities.csv · 12 rows · UTF-8 · comma separated',
    )
    await value(page.getByLabel('Table name')).toBe('cities')
    // The types are guessed from the values.
    await value(page.getByLabel('Type of column 1')).toBe('text')
    await value(page.getByLabel('Type of column 3')).toBe('integer')
    await value(page.getByLabel('Type of column 4')).toBe('decimal')
    await value(page.getByLabel('Type of column 5')).toBe('date')
    await value(page.getByLabel('Type of column 6')).toBe('boolean')

    await page.getByLabel('Table name').fill('European cities')
    await page.getByLabel('Name of column 4').fill('Area')
    await page.getByRole('button', { name: 'Import 12 rows' }).click()
    await page.waitForURL(`${base}/${LOGIN}/tables/european-cities`)
    await text(page.getByRole('heading', { level: 1 })).toBe('European cities')
    await count().toBe('1–12 of 12 rows')
    await texts(page.locator('thead th a.sort')).toEqual([
      'City',
      'Country',
      'Population',
      'Area',
      'Last visited',
      'Capital',
    ])
    await page.screenshot({ path: `${OUTPUT}cities-1280x900.png` })

    await page.goto(`/${LOGIN}`)
    await texts(page.locator('.card__title')).toEqual(['European cities', 'People'])
  })

  test('exports the table as CSV', async () => {
    await page.goto(TABLE)
    await page.locator('summary', { hasText: 'Export' }).click()
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('link', { name: 'CSV', exact: true }).click(),
    ])
    expect(download.suggestedFilename()).toBe('people.csv')
    const path = await download.path()
    const lines = (await readFile(path, 'utf8')).trimEnd().split(/\r?\n/)
    expect(lines[0]).toBe('Name,Age,Email')
    expect(lines).toHaveLength(1 + 62)
    expect(lines).toContain('Ada Lovelace,36,ada@example.net')
    expect(lines).toContain('Grace Hopper,85,grace.hopper@navy.example')
    expect(lines.some((line) => line.startsWith('Alan Turing'))).toBe(false)
  })

  test('makes an API token in Settings, shown once, and writes a row through the API with it', async () => {
    await page.goto('/settings/tokens')
    await page.getByLabel('Name', { exact: true }).fill('Robot')
    await page.getByLabel(/Write: add/).check()
    await page.getByRole('button', { name: 'Make token' }).click()
    const token = (await page.locator('#new-token').textContent()) ?? ''
    expect(token).toMatch(/^hapi_[0-9A-Za-z]{43}$/)
    await texts(page.locator('.list__item strong')).toEqual(['Robot'])
    await page.reload()
    expect(await page.locator('#new-token').count()).toBe(0)
    // From outside the browser: the token, not the cookie, is what writes.
    const res = await fetch(`${base}/api/v1${TABLE}/rows`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'Katherine Johnson', age: 101, email: 'kj@nasa.example' }),
    })
    expect(res.status).toBe(201)
    await page.goto(`${TABLE}?search=Katherine`)
    await rowCount().toBe(1)
  })

  test('shows the table’s API tab and the interactive reference, under the strict CSP', async () => {
    const violations: string[] = []
    page.on('console', (message) => {
      if (/Content Security Policy/i.test(message.text())) violations.push(message.text())
    })
    await page.goto(TABLE)
    await page.getByRole('link', { name: 'API', exact: true }).click()
    await text(page.locator('pre code').first()).toContain(`/api/v1${TABLE}/rows?limit=10`)
    await page.getByRole('link', { name: 'this table’s interactive API reference' }).click()
    await text(page.locator('.swagger-ui .info .title')).toContain('HostedAPI')
    await visible(page.locator('.swagger-ui .opblock-summary-path', { hasText: '/rows' }).first())
    await page.screenshot({ path: `${OUTPUT}api-docs.png`, fullPage: false })
    expect(violations).toEqual([])
  })

  test('adds an Image column, uploads a photo on a row and sees its thumbnail', async () => {
    await page.goto(`${TABLE}/columns`)
    await addColumn('Photo', 'Image')
    await page.goto(`${TABLE}?search=Katherine`)
    await page.locator('table.data tbody tr').first().locator('td.data__id a').click()
    await page.getByRole('link', { name: 'Edit' }).click()
    const photo = await sharp({
      create: { width: 800, height: 600, channels: 3, background: { r: 30, g: 90, b: 160 } },
    })
      .png()
      .toBuffer()
    await page.getByLabel('Photo').setInputFiles({
      name: 'katherine.png',
      mimeType: 'image/png',
      buffer: photo,
    })
    await page.getByRole('button', { name: 'Upload' }).click()
    await visible(page.getByRole('button', { name: 'Remove the file' }))
    // The grid shows the thumbnail (a WebP of at most 320 pixels a side), loaded for real.
    await page.goto(`${TABLE}?search=Katherine`)
    const thumbnail = page.locator('table.data tbody img[alt="katherine.png"]')
    await visible(thumbnail)
    await eventually(() => thumbnail.evaluate((img: HTMLImageElement) => img.naturalWidth)).toBe(
      320,
    )
    await page.screenshot({ path: `${OUTPUT}thumbnail.png`, fullPage: false })
    // The row page shows the image itself.
    await page.locator('table.data tbody tr').first().locator('td.data__id a').click()
    const image = page.locator('img.file-image')
    await eventually(() => image.evaluate((img: HTMLImageElement) => img.naturalWidth)).toBe(800)
    await text(page.locator('.fields')).toContain('800 × 600 pixels')
  })

  test('makes a second table with a Link column, picks a linked row by name and sees it linked', async () => {
    await page.goto(`/${LOGIN}`)
    await page.getByRole('link', { name: 'New table' }).click()
    await page.getByLabel('Name').fill('Meetings')
    await page.getByRole('button', { name: 'Create table' }).click()
    await page.waitForURL(`${base}/${LOGIN}/tables/meetings/columns`)
    await addColumn('Place', 'Text')
    await page.getByLabel('Name', { exact: true }).fill('Person')
    await page.getByLabel('Type', { exact: true }).selectOption({ label: 'Link to another table' })
    await page.getByLabel(/^Links to/).selectOption({ label: 'People' })
    await page.getByRole('button', { name: 'Add column' }).click()
    await lowerText(columnItem('Person')).toContain('link')

    await page.goto(`/${LOGIN}/tables/meetings/new`)
    await page.getByLabel('Place').fill('Houston')
    // People has fewer than 200 rows: the link is a select of their names.
    await page.getByLabel('Person').selectOption({ label: 'Katherine Johnson' })
    await page.getByRole('button', { name: 'Save row' }).click()
    await visible(page.getByRole('heading', { name: /^Row \d+$/ }))

    await page.goto(`/${LOGIN}/tables/meetings`)
    const link = page.locator('table.data tbody tr').first().getByRole('link', {
      name: 'Katherine Johnson',
    })
    await visible(link)
    await attribute(link, 'href').toMatch(new RegExp(`^${TABLE}/\\d+$`))
    expect(await columnTexts('Person')).toEqual(['Katherine Johnson'])
    await link.click()
    await page.waitForURL(new RegExp(`${TABLE}/\\d+$`))
    await text(page.locator('.fields')).toContain('Katherine Johnson')
  })

  test('with over 200 people, finds one by typing part of the name and links the row to them', async () => {
    // 200 more people make the link field an id field with search as you type.
    const csv = ['Name,Age,Email', ...Array.from({ length: 200 }, (_, n) => `Extra ${n},${n},`)]
    await page.goto(`${TABLE}/import`)
    await page.getByLabel('CSV file').setInputFiles({
      name: 'extra.csv',
      mimeType: 'text/csv',
      buffer: Buffer.from(csv.join('\n')),
    })
    await page.getByRole('button', { name: 'Upload and review' }).click()
    await page.getByRole('button', { name: 'Add 200 rows' }).click()
    await page.waitForURL(new RegExp(`${TABLE}\\?imported=200$`))

    await page.goto(`/${LOGIN}/tables/meetings/new`)
    await page.getByLabel('Place').fill('Langley')
    await page.getByRole('searchbox', { name: 'Find a row for Person' }).fill('kathe')
    await page.getByRole('button', { name: /^Katherine Johnson \(#\d+\)$/ }).click()
    await value(page.getByLabel('Person', { exact: true })).toMatch(/^\d+$/)
    await page.getByRole('button', { name: 'Save row' }).click()
    await visible(page.getByRole('heading', { name: /^Row \d+$/ }))
    await page.goto(`/${LOGIN}/tables/meetings`)
    expect(await columnTexts('Person')).toEqual(['Katherine Johnson', 'Katherine Johnson'])
  })
})
