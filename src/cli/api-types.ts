// `scripts/api-types`: writes src/api/client/schema.ts, the API's types, from its OpenAPI document.
import { writeFile } from 'node:fs/promises'
import { CLIENT_TYPES_PATH, generateClientTypes } from '../api/client/generate.js'
import { readConfig } from '../config.js'
import { openPglite } from '../db/database.js'
import { migrateToLatest } from '../db/migrate.js'
import { createApp } from '../web/app.js'

// The document does not depend on any data: an empty in-memory database serves it.
const database = await openPglite(null)
try {
  await migrateToLatest(database.db)
  const app = createApp({ config: readConfig({ NODE_ENV: 'test' }), database })
  await writeFile(CLIENT_TYPES_PATH, await generateClientTypes(app))
  console.log(`Wrote ${CLIENT_TYPES_PATH.pathname}`)
} finally {
  await database.close()
}
