// The demo tables: the 2015 and 2017 UK general election results, owned by a user who cannot sign in.
import type { Database } from '../db/database.js'
import { appPath } from '../paths.js'
import { importCsvFileAsTable, inspectCsvFile } from './csv-file.js'

export const DEMO_USERNAME = 'demo'

export const DEMO_TABLES = [2015, 2017].map((year) => ({
  file: appPath('data', `uk_general_election_${year}.csv`),
  name: `UK General Election ${year}`,
  slug: `uk-general-election-${year}`,
  description: `Every candidate in the ${year} UK general election and the votes they won, by constituency. Source: the Electoral Commission.`,
}))

const humanize = (header: string) => {
  const words = header.replaceAll('_', ' ').trim()
  return words.charAt(0).toUpperCase() + words.slice(1)
}

// A user with no GitHub id can never sign in.
export async function ensureDemoUser(database: Database): Promise<number> {
  const { db } = database
  const existing = await db
    .selectFrom('users')
    .select('id')
    .where('username', '=', DEMO_USERNAME)
    .executeTakeFirst()
  if (existing) return existing.id
  const created = await db
    .insertInto('users')
    .values({ username: DEMO_USERNAME, name: 'HostedAPI demo', github_id: null })
    .returning('id')
    .executeTakeFirstOrThrow()
  return created.id
}

// Loads each demo table that is not there yet; returns the names of those it loaded.
export async function loadDemoData(database: Database): Promise<string[]> {
  const ownerId = await ensureDemoUser(database)
  const loaded: string[] = []
  for (const demo of DEMO_TABLES) {
    const exists = await database.db
      .selectFrom('tables')
      .select('id')
      .where('owner_id', '=', ownerId)
      .where('slug', '=', demo.slug)
      .executeTakeFirst()
    if (exists) continue
    const inspection = await inspectCsvFile(demo.file)
    const { indexing } = await importCsvFileAsTable(database, demo.file, {
      ownerId,
      name: demo.name,
      description: demo.description,
      // `first_name` reads better as “First name”; the slug stays first_name.
      columns: inspection.columns.map((column) => ({ ...column, name: humanize(column.name) })),
    })
    await indexing
    loaded.push(demo.name)
  }
  return loaded
}
