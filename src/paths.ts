// The app's root folder (where package.json is), found from this file under src/ or dist/src/.
import { existsSync, readFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

function findRoot(start: string): string {
  let dir = start
  while (!existsSync(join(dir, 'package.json'))) {
    const parent = dirname(dir)
    if (parent === dir) throw new Error('package.json not found above the app code')
    dir = parent
  }
  return dir
}

export const APP_ROOT = findRoot(dirname(fileURLToPath(import.meta.url)))
export const appPath = (...parts: string[]) => join(APP_ROOT, ...parts)

export const PACKAGE_VERSION: string = JSON.parse(
  readFileSync(appPath('package.json'), 'utf8'),
).version
