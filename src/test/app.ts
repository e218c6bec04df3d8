// A test app on its own database, with the demo tables loaded when asked.
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { mockGithubId } from '../auth/mock-github.js'
import { createSession, generateSessionToken } from '../auth/sessions.js'
import { upsertGithubUser } from '../auth/users.js'
import { readConfig } from '../config.js'
import type { Database } from '../db/database.js'
import { loadDemoData } from '../import/demo-data.js'
import { stopUploadSweeper } from '../import/uploads.js'
import { openStorage, type Storage } from '../storage/index.js'
import { createApp } from '../web/app.js'
import { Browser } from './browser.js'
import { createTestDatabase } from './database.js'

export const RATE_LIMITS_OFF = {
  RATE_LIMIT_SIGN_IN: 'off',
  RATE_LIMIT_IMPORTS: 'off',
  RATE_LIMIT_EXPORTS: 'off',
  RATE_LIMIT_SEARCHES: 'off',
  RATE_LIMIT_UPLOADS: 'off',
  RATE_LIMIT_API_TOKEN: 'off',
  RATE_LIMIT_API_ADDRESS: 'off',
}

export async function createTestApp(
  options: {
    demo?: boolean
    env?: Record<string, string>
    // Storage other than the config's (the Postgres backend, say).
    storage?: (database: Database) => Storage
  } = {},
) {
  const opened: Database = await createTestDatabase()
  if (options.demo) await loadDemoData(opened)
  // Uploads of its own: user ids repeat across test files, and so would their waiting files.
  const uploadDir = await mkdtemp(join(tmpdir(), 'hostedapi-test-uploads-'))
  // Rate limits are off unless a test turns them on: tests send many requests from one address.
  const config = readConfig({
    NODE_ENV: 'test',
    UPLOAD_DIR: uploadDir,
    FILES_DIR: join(uploadDir, 'files'),
    ...RATE_LIMITS_OFF,
    ...options.env,
  })
  const database: Database = {
    ...opened,
    async close() {
      stopUploadSweeper(uploadDir)
      await rm(uploadDir, { recursive: true, force: true })
      await opened.close()
    },
  }
  const storage = options.storage?.(database) ?? openStorage(config.storage, database.db)
  const app = createApp({ config, database, storage })
  return { app, database, config, storage }
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
