// Applies the migrations in migrations/ (TypeScript under tsx and vitest, compiled JS in dist/).
import { readdir } from 'node:fs/promises'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { type Migration, type MigrationProvider, type MigrationResultSet, Migrator } from 'kysely'
import type { Db } from './database.js'

// Next to the code that runs: migrations/*.ts in the source tree, dist/migrations/*.js when built.
const MIGRATIONS_DIR = fileURLToPath(new URL('../../migrations/', import.meta.url))

class DirectoryMigrationProvider implements MigrationProvider {
  async getMigrations(): Promise<Record<string, Migration>> {
    const files = (await readdir(MIGRATIONS_DIR)).filter((name) =>
      /^[^.].*(?<!\.d)\.[jt]s$/.test(name),
    )
    const migrations: Record<string, Migration> = {}
    for (const file of files.sort()) {
      const url = pathToFileURL(`${MIGRATIONS_DIR}${file}`).href
      migrations[file.replace(/\.[jt]s$/, '')] = (await import(url)) as Migration
    }
    return migrations
  }
}

export async function migrateToLatest(db: Db): Promise<MigrationResultSet> {
  // Migrations made on parallel branches may land in any order; each stands on its own.
  const migrator = new Migrator({
    db,
    provider: new DirectoryMigrationProvider(),
    allowUnorderedMigrations: true,
  })
  const result = await migrator.migrateToLatest()
  if (result.error) throw result.error
  return result
}
