// Reading a JSON request body strictly: UTF-8 only, JSON as jsonb reads it, numbers kept exact.
import type { Context } from 'hono'
import * as v from 'valibot'
import { InvalidError, type RefusalExtras } from '../application/errors.js'
import { JsonContentError, JsonSyntaxError, parseJsonExact } from '../datasource/json-scan.js'
import { UnsupportedMediaTypeError } from './errors.js'

const JSON_TYPE = /^application\/(?:[\w.+-]+\+)?json\s*(?:;|$)/i

export const isJsonRequest = (c: Context) => JSON_TYPE.test(c.req.header('content-type') ?? '')

// The body as JSON values, every number a RawJson holding its exact text; or an InvalidError.
export async function readJson(c: Context): Promise<unknown> {
  if (!isJsonRequest(c)) {
    throw new UnsupportedMediaTypeError(
      'Send the body as JSON, with Content-Type: application/json.',
    )
  }
  let text: string
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(await c.req.arrayBuffer())
  } catch (error) {
    if (!(error instanceof TypeError)) throw error
    throw new InvalidError('The request body is not valid UTF-8.')
  }
  try {
    return parseJsonExact(text)
  } catch (error) {
    if (!(error instanceof JsonSyntaxError || error instanceof JsonContentError)) throw error
    throw new InvalidError(`The request body is not valid JSON: ${error.message}.`)
  }
}

// Field errors from valibot issues, keyed by dotted path (`columns.2.name`).
export function issueErrors(issues: readonly v.BaseIssue<unknown>[]): RefusalExtras['errors'] {
  const errors: Record<string, string> = {}
  for (const issue of issues) errors[v.getDotPath(issue) ?? 'body'] ??= issue.message
  return errors
}

// The body checked against a schema (the same schema the OpenAPI document shows).
export async function readBody<S extends v.GenericSchema>(
  c: Context,
  schema: S,
): Promise<v.InferOutput<S>> {
  const result = v.safeParse(schema, await readJson(c))
  if (!result.success) {
    throw new InvalidError('The request body has invalid values.', {
      errors: issueErrors(result.issues),
    })
  }
  return result.output
}
