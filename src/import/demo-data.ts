// The demo tables: the 2015 and 2017 UK general election results, owned by a user who cannot sign in.
import { fileURLToPath } from 'node:url'
import type { Database } from '../db/database.js'
import { importCsvFileAsTable, inspectCsvFile } from './csv-file.js'

export const DEMO_USERNAME = 'demo'

const DATA_DIR = fileURLToPath(new URL('../../data/', import.meta.url))

export const DEMO_TABLES = [2017, 2015].map((year) => ({
  file: `${DATA_DIR}uk_general_election_${year}.csv`,
  name: `UK General Election ${year}`,
  slug: `uk-general-election-${year}`,
  description: `Every candidate in the ${year} UK general election and the votes they won, by constituency. Source: the Electoral Commission.`,
}))

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
    await importCsvFileAsTable(database, demo.file, {
      ownerId,
      name: demo.name,
      description: demo.description,
      columns: inspection.columns,
    })
    loaded.push(demo.name)
  }
  return loaded
}
