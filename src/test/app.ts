// A test app on its own database, with the demo tables loaded when asked.
import { readConfig } from '../config.js'
import type { Database } from '../db/database.js'
import { loadDemoData } from '../import/demo-data.js'
import { createApp } from '../web/app.js'
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
