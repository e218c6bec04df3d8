// `scripts/migrate` and the Heroku release phase: bring the catalog schema up to date.
import { loadDotEnv, readConfig } from '../config.js'
import { ensureIndexes } from '../datasource/indexes.js'
import { openDatabase } from '../db/database.js'
import { migrateToLatest } from '../db/migrate.js'

loadDotEnv()
const config = readConfig()
const database = await openDatabase({ ...config, databasePoolMax: 1 })
const { results } = await migrateToLatest(database.db)
for (const result of results ?? []) console.log(`${result.status}: ${result.migrationName}`)
// Indexes whose concurrent build was cut short (a dyno restarted mid-import) are rebuilt.
const repaired = await ensureIndexes(database)
if (repaired) console.log(`Rebuilt ${repaired} interrupted indexes`)
if (!results?.length) console.log('Migrations: already up to date')
await database.close()
