// OpenAPI descriptions of the API's routes: summary, request body and query, and every answer.

import { toJsonSchema } from '@valibot/to-json-schema'
import { describeRoute, resolver } from 'hono-openapi'
import type * as v from 'valibot'
import { ProblemSchema } from './schemas.js'

const PROBLEMS: Record<number, string> = {
  400: 'The request is malformed or a value is invalid; `errors` points at each field.',
  401: 'No API token, or one that is revoked, mistyped or expired.',
  403: 'The token’s user may not do this, or it lacks the scope, or it is limited to other tables.',
  404: 'No such user, table, column or row, or a private table the caller cannot see.',
  409: 'The change conflicts with what is stored (a name taken, values that would not convert).',
  412: 'The row changed since the `If-Match` version was read.',
  413: 'The request body is too large.',
  415: 'The body must be JSON (or CSV where that is accepted).',
  429: 'Too many requests; wait `Retry-After` seconds.',
}

const problemContent = { 'application/problem+json': { schema: resolver(ProblemSchema) } }

type Responses = Record<number, { description: string; content?: Record<string, unknown> }>

interface RouteDocBase {
  // A stable name for generated clients (listRows, createTable …).
  operationId: string
  summary: string
  description?: string
  tags: string[]
  // The success status and its JSON schema (null: no body).
  ok: [number, v.GenericSchema | null, string?]
  // The JSON request body, validated in the handler with this same schema (see readBody).
  body?: v.GenericSchema
  problems: number[]
  security?: boolean
  // The request body is a file: its raw bytes, or a multipart form with a `file` field.
  binaryBody?: boolean
  // The success answer is a file of any type.
  download?: boolean
}

const binary = { type: 'string', format: 'binary' }
const fileBody = {
  required: true,
  content: {
    'application/octet-stream': { schema: binary },
    'multipart/form-data': {
      schema: { type: 'object', properties: { file: binary }, required: ['file'] },
    },
  },
}

export type RouteDoc = RouteDocBase &
  (
    | { query?: undefined }
    | {
        // The query parameters, validated in the handler with this same schema.
        query: v.ObjectSchema<v.ObjectEntries, undefined>
        // Parameters no schema entry can state (the filters' open set of names), as OpenAPI objects.
        extraParameters: object[]
      }
  )

export function describe(doc: RouteDoc) {
  const [status, schema, text] = doc.ok
  const responses: Responses = {
    [status]: {
      description: text ?? 'Success',
      ...(schema ? { content: { 'application/json': { schema: resolver(schema) } } } : {}),
      ...(doc.download ? { content: { '*/*': { schema: binary } } } : {}),
    },
  }
  for (const code of [...doc.problems, 429]) {
    responses[code] = { description: PROBLEMS[code] ?? 'Refused', content: problemContent }
  }
  return describeRoute({
    operationId: doc.operationId,
    summary: doc.summary,
    description: doc.description,
    tags: doc.tags,
    responses,
    ...(doc.body
      ? {
          requestBody: {
            required: true,
            content: { 'application/json': { schema: resolver(doc.body, { typeMode: 'input' }) } },
          },
        }
      : {}),
    ...(doc.binaryBody ? { requestBody: fileBody } : {}),
    ...(doc.security === false ? { security: [] } : {}),
    ...(doc.query ? { parameters: [...queryParameters(doc.query), ...doc.extraParameters] } : {}),
  } as Parameters<typeof describeRoute>[0])
}

// Each entry of a query schema as an OpenAPI parameter, typed by its JSON Schema.
function queryParameters(schema: v.ObjectSchema<v.ObjectEntries, undefined>) {
  const json = toJsonSchema(schema, { errorMode: 'ignore' }) as {
    properties?: Record<string, { description?: string }>
  }
  return Object.entries(json.properties ?? {}).map(([name, property]) => ({
    name,
    in: 'query',
    required: false,
    description: property.description,
    schema: { ...property, description: undefined },
  }))
}
