// A test app on its own database, with the demo tables loaded when asked.
import { mockGithubId } from '../auth/mock-github.js'
import { createSession, generateSessionToken } from '../auth/sessions.js'
import { upsertGithubUser } from '../auth/users.js'
import { readConfig } from '../config.js'
import type { Database } from '../db/database.js'
import { loadDemoData } from '../import/demo-data.js'
import { createApp } from '../web/app.js'
import { Browser } from './browser.js'
import { createTestDatabase } from './database.js'

export async function createTestApp(
  options: { demo?: boolean; env?: Record<string, string> } = {},
) {
  const database: Database = await createTestDatabase()
  if (options.demo) await loadDemoData(database)
  const config = readConfig({ NODE_ENV: 'test', ...options.env })
  const app = createApp({ config, database })
  return { app, database, config }
}

// Text content of the table cells on a page, row by row (enough for asserting what users see).
export function tableCells(html: string): string[][] {
  const body = html.split('<tbody>')[1]?.split('</tbody>')[0] ?? ''
  return [...body.matchAll(/<tr>([\s\S]*?)<\/tr>/g)].map((row) =>
    [...(row[1] ?? '').matchAll(/<td[^>]*>([\s\S]*?)<\/td>/g)].map((cell) =>
      (cell[1] ?? '').replace(/<[^>]+>/g, '').trim(),
    ),
  )
}

// A signed-in browser without the OAuth dance: a user and a session straight in the database.
export async function signedInBrowser(t: TestApp, login: string) {
  const user = await upsertGithubUser(t.database.db, {
    id: mockGithubId(login),
    login,
    name: null,
    avatarUrl: null,
  })
  const browser = new Browser('http://localhost', (request) => t.app.request(request))
  const token = generateSessionToken()
  await createSession(t.database.db, token, user.id, 'Mozilla/5.0 (X11; Linux x86_64) Chrome/156.0')
  browser.cookies.set('session', token)
  await browser.get('/')
  return { browser, user }
}

export function anonymousBrowser(t: TestApp) {
  return new Browser('http://localhost', (request) => t.app.request(request))
}

export type TestApp = Awaited<ReturnType<typeof createTestApp>>
