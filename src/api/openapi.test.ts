import { Validator } from '@seriousme/openapi-schema-validator'

// A loose view of an OpenAPI document, enough to look things up in a test.
// biome-ignore lint/suspicious/noExplicitAny: a test walks the JSON freely
type Document = Record<string, any>

import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createTable } from '../datasource/tables.js'
import { createTestApp, signedInBrowser, type TestApp } from '../test/app.js'

let t: TestApp
beforeAll(async () => {
  t = await createTestApp()
  const { user } = await signedInBrowser(t, 'ada')
  await createTable(t.database.db, {
    ownerId: user.id,
    name: 'Animals',
    columns: [
      { name: 'Name', type: 'text', required: true },
      { name: 'Legs', type: 'integer' },
      { name: 'Kind', type: 'choice', choices: ['bird', 'fish'] },
    ],
  })
})
afterAll(() => t.database.close())

const fetchJson = async (path: string) => {
  const res = await t.app.request(`http://localhost${path}`)
  expect(res.status).toBe(200)
  return res.json() as Promise<Document>
}

async function expectValid(document: Document) {
  const validator = new Validator()
  const result = await validator.validate(document)
  expect(result.errors ?? []).toEqual([])
  expect(result.valid).toBe(true)
  expect(validator.version).toBe('3.1')
}

describe('the OpenAPI document', () => {
  it('is a valid OpenAPI 3.1 document covering every API route', async () => {
    const document = await fetchJson('/api/v1/openapi.json')
    await expectValid(document)
    expect(document.servers).toEqual([{ url: 'http://localhost/api/v1' }])
    expect(Object.keys(document.paths).sort()).toEqual(
      [
        '/user',
        '/{username}/tables',
        '/{username}/tables/{table}',
        '/{username}/tables/{table}/columns',
        '/{username}/tables/{table}/columns/{column}',
        '/{username}/tables/{table}/rows',
        '/{username}/tables/{table}/rows/{row}',
        '/{username}/tables/{table}/rows/{row}/files/{column}',
        '/{username}/tables/{table}/rows/{row}/files/{column}/thumbnail',
        '/{username}/tables/{table}/export.csv',
        '/{username}/tables/{table}/export.json',
      ].sort(),
    )
  })

  it('describes request bodies with the schemas the API validates with', async () => {
    const document = await fetchJson('/api/v1/openapi.json')
    const create = document.paths['/{username}/tables'].post
    expect(create.requestBody.content['application/json'].schema.$ref).toBe(
      '#/components/schemas/TableInput',
    )
    const input = document.components.schemas.TableInput
    expect(input.required).toEqual(['name'])
    expect(input.additionalProperties).toBe(false)
    expect(document.components.schemas.ColumnInput.properties.type.enum).toContain('json')
  })

  it('gives each table a document whose paths are its own', async () => {
    const document = await fetchJson('/api/v1/ada/tables/animals/openapi.json')
    await expectValid(document)
    expect(Object.keys(document.paths)).toContain('/ada/tables/animals/rows')
    expect(
      Object.keys(document.paths).every((path) => path.startsWith('/ada/tables/animals')),
    ).toBe(true)
    const rows = document.paths['/ada/tables/animals/rows'].get
    expect(rows.parameters.map((p: { name: string }) => p.name)).toEqual([
      'search',
      'order',
      'limit',
      'after',
      '_facet',
      'filters',
    ])
    expect(Object.keys(document.components.schemas.RowValues.properties)).toEqual([
      'name',
      'legs',
      'kind',
    ])
  })

  it('keeps private tables’ documents private', async () => {
    const res = await t.app.request('http://localhost/api/v1/ada/tables/nope/openapi.json')
    expect(res.status).toBe(404)
  })
})
