// `scripts/seed` and Heroku's postdeploy: load the demo tables if they are not there yet.
import { loadDotEnv, readConfig } from '../config.js'
import { openDatabase } from '../db/database.js'
import { migrateToLatest } from '../db/migrate.js'
import { loadDemoData } from '../import/demo-data.js'

loadDotEnv()
const config = readConfig()
const database = await openDatabase({ ...config, databasePoolMax: 1 })
await migrateToLatest(database.db)
const loaded = await loadDemoData(database)
console.log(loaded.length ? `Loaded: ${loaded.join(', ')}` : 'Demo tables already loaded')
await database.close()
