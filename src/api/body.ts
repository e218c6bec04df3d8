// Reading a JSON request body strictly: UTF-8 only, JSON as jsonb reads it, numbers kept exact.
import type { Context } from 'hono'
import * as v from 'valibot'
import { InvalidError, type RefusalExtras, TooLargeError } from '../application/errors.js'
import { JsonContentError, JsonSyntaxError, parseJsonExact } from '../datasource/json-scan.js'
import { UnsupportedMediaTypeError } from './errors.js'

const JSON_TYPE = /^application\/(?:[\w.+-]+\+)?json\s*(?:;|$)/i
// A JSON body is read whole, so it has a limit of its own: 1,000 rows of ordinary size fit easily;
// bigger loads go as CSV, which streams.
export const API_JSON_LIMIT = 16 * 1024 * 1024

// The body's bytes, refused as soon as they pass `limit`.
async function readBytes(c: Context, limit: number): Promise<Uint8Array> {
  const declared = Number(c.req.header('content-length') ?? Number.NaN)
  const tooLarge = () =>
    new TooLargeError(
      `A JSON body can be at most 16 MB; send more rows as CSV (Content-Type: text/csv).`,
    )
  if (declared > limit) throw tooLarge()
  const chunks: Uint8Array[] = []
  let size = 0
  // Node's web streams are async iterable; the DOM types do not say so.
  const body = (c.req.raw.body ?? []) as unknown as AsyncIterable<Uint8Array>
  for await (const chunk of body) {
    size += chunk.byteLength
    if (size > limit) throw tooLarge()
    chunks.push(chunk)
  }
  return Buffer.concat(chunks)
}

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
    text = new TextDecoder('utf-8', { fatal: true }).decode(await readBytes(c, API_JSON_LIMIT))
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
