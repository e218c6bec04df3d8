// Reading a JSON request body strictly: UTF-8 only, bounded depth, numbers kept exactly as sent.
import type { Context } from 'hono'
import { isLosslessNumber, parse } from 'lossless-json'
import * as v from 'valibot'
import { InvalidError, type RefusalExtras } from '../application/errors.js'
import { UnsupportedMediaTypeError } from './errors.js'

export const MAX_JSON_DEPTH = 64

const JSON_TYPE = /^application\/(?:[\w.+-]+\+)?json\s*(?:;|$)/i

// Deepest nesting of arrays and objects, counted outside strings (so parsing cannot overflow the stack).
export function jsonDepth(text: string): number {
  let depth = 0
  let deepest = 0
  let inString = false
  for (let i = 0; i < text.length; i++) {
    const char = text.charCodeAt(i)
    if (inString) {
      if (char === 92)
        i++ // a backslash escapes the next character
      else if (char === 34) inString = false
    } else if (char === 34) inString = true
    else if (char === 91 || char === 123) deepest = Math.max(deepest, ++depth)
    else if (char === 93 || char === 125) depth--
  }
  return deepest
}

// The body as JSON values, numbers as LosslessNumber (their exact text), or an InvalidError.
export async function readJson(c: Context): Promise<unknown> {
  if (!JSON_TYPE.test(c.req.header('content-type') ?? '')) {
    throw new UnsupportedMediaTypeError(
      'Send the body as JSON, with Content-Type: application/json.',
    )
  }
  let text: string
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(await c.req.arrayBuffer())
  } catch {
    throw new InvalidError('The request body is not valid UTF-8.')
  }
  if (jsonDepth(text) > MAX_JSON_DEPTH) {
    throw new InvalidError(`The request body is nested more than ${MAX_JSON_DEPTH} levels deep.`)
  }
  try {
    return parse(text)
  } catch (error) {
    throw new InvalidError(`The request body is not valid JSON: ${(error as Error).message}`)
  }
}

// Field errors from valibot issues, keyed by dotted path (`columns.2.name`).
export function issueErrors(issues: readonly v.BaseIssue<unknown>[]): RefusalExtras['errors'] {
  const errors: Record<string, string> = {}
  for (const issue of issues) errors[v.getDotPath(issue) ?? 'body'] ??= issue.message
  return errors
}

// The body checked against a schema; numbers where the schema wants them become plain numbers.
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

export { isLosslessNumber }
