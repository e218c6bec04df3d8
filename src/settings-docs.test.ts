import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { EnvSchema } from './config.js'
import { appPath } from './paths.js'

// Every setting the app reads must be explained where people look for it.
describe('settings documentation', () => {
  const readme = readFileSync(appPath('README.md'), 'utf8')
  const example = readFileSync(appPath('.env.example'), 'utf8')
  const appJson = JSON.parse(readFileSync(appPath('app.json'), 'utf8')) as {
    env: Record<string, unknown>
  }

  it.each(Object.keys(EnvSchema.entries))('documents %s in the README and .env.example', (name) => {
    expect(readme).toContain(`\`${name}\``)
    expect(example).toMatch(new RegExp(`^#? ?${name}=`, 'm'))
  })

  it('describes in app.json only settings the app reads', () => {
    for (const name of Object.keys(appJson.env))
      expect(Object.keys(EnvSchema.entries)).toContain(name)
  })
})
