// The OpenAPI 3.1 documents: the whole API, and one per table whose row schema lists its own columns.
import { Hono } from 'hono'
import { generateSpecs } from 'hono-openapi'
import type { OpenAPIV3_1 } from 'openapi-types'
import { API_BASE } from '../lib/paths.js'
import type { AppEnv } from '../web/env.js'
import { absoluteUrl } from '../web/urls.js'
import { tableFor } from './context.js'
import { rowValuesJsonSchema } from './row-values.js'

type Document = OpenAPIV3_1.Document

const DESCRIPTION = `Every HostedAPI table is an API. Reading a public table needs no token; private tables,
and every write, need an API token (Settings → API tokens) sent as \`Authorization: Bearer hapi_…\`.
Errors are RFC 9457 problem details. See the README's API section for a worked example.`

async function baseDocument(api: Hono<AppEnv>, origin: string): Promise<Document> {
  return (await generateSpecs(api, {
    documentation: {
      openapi: '3.1.0',
      info: { title: 'HostedAPI', version: '1', description: DESCRIPTION },
      servers: [{ url: `${origin}${API_BASE}` }],
      components: {
        securitySchemes: {
          token: { type: 'http', scheme: 'bearer', description: 'An API token, hapi_…' },
        },
      },
      security: [{}, { token: [] }],
    },
    exclude: ['/openapi.json', '/{username}/tables/{table}/openapi.json'],
  })) as Document
}

// The paths of one table, its owner and slug filled in, and RowValues made of its columns.
function tableDocument(document: Document, username: string, slug: string, rowValues: object) {
  const prefix = '/{username}/tables/{table}'
  const paths: OpenAPIV3_1.PathsObject = {}
  for (const [path, item] of Object.entries(document.paths ?? {})) {
    if (!path.startsWith(prefix)) continue
    const concrete = `/${encodeURIComponent(username)}/tables/${encodeURIComponent(slug)}${path.slice(prefix.length)}`
    const fixed = JSON.parse(JSON.stringify(item)) as Record<string, OpenAPIV3_1.OperationObject>
    for (const operation of Object.values(fixed)) {
      operation.parameters = operation.parameters?.filter(
        (parameter) => !('name' in parameter) || !['username', 'table'].includes(parameter.name),
      )
    }
    paths[concrete] = fixed
  }
  return {
    ...document,
    info: { ...document.info, title: `HostedAPI: ${username}/${slug}` },
    paths,
    components: {
      ...document.components,
      schemas: { ...document.components?.schemas, RowValues: rowValues },
    },
  }
}

export function openApiRoutes(api: Hono<AppEnv>) {
  const routes = new Hono<AppEnv>()
  routes.get('/openapi.json', async (c) => c.json(await baseDocument(api, absoluteUrl(c, ''))))
  routes.get('/:username/tables/:table/openapi.json', async (c) => {
    const table = await tableFor(c, 'read')
    const document = await baseDocument(api, absoluteUrl(c, ''))
    return c.json(
      tableDocument(document, table.owner.username, table.slug, rowValuesJsonSchema(table)),
    )
  })
  return routes
}
