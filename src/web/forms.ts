// Reading and validating posted forms: expected failures come back as messages per field.
import type { Context } from 'hono'
import { HTTPException } from 'hono/http-exception'
import * as v from 'valibot'
import { BodyTooLargeError } from '../lib/body-too-large.js'
import { hasControlCharacters, isWellFormed } from '../lib/text.js'
import { FormEncodingError, parseUrlEncoded } from '../lib/url-encoded.js'

export type FieldErrors = Record<string, string>

export type FormResult<T> = { ok: true; value: T } | { ok: false; errors: FieldErrors }

export function validateForm<S extends v.GenericSchema>(
  schema: S,
  input: unknown,
): FormResult<v.InferOutput<S>> {
  const result = v.safeParse(schema, input)
  if (result.success) return { ok: true, value: result.output }
  const errors: FieldErrors = {}
  for (const issue of result.issues) {
    const key = issue.path?.map((item) => String(item.key)).join('.') ?? 'form'
    errors[key] ??= issue.message
  }
  return { ok: false, errors }
}

export interface Form {
  // The first value of each field.
  fields: Record<string, string>
  // Every value of a repeated field (checkbox lists), `name` and `name[]` alike.
  all: (name: string) => string[]
}

// A request's form, read once: the CSRF check and the handler share it.
const readForms = new WeakMap<Context, Promise<Form>>()

const badForm = (message: string) => new HTTPException(400, { message })

async function parseForm(c: Context): Promise<[string, string][]> {
  const type = (c.req.header('content-type') ?? '').toLowerCase()
  try {
    if (type.startsWith('application/x-www-form-urlencoded'))
      return parseUrlEncoded(new Uint8Array(await c.req.arrayBuffer()))
    if (type.startsWith('multipart/form-data')) {
      // Files sent where a value was expected are ignored.
      const pairs: [string, string][] = []
      ;(await c.req.formData()).forEach((value, name) => {
        if (typeof value === 'string') pairs.push([name, value])
      })
      return pairs
    }
    return []
  } catch (error) {
    if (error instanceof FormEncodingError)
      throw badForm(`${error.message} Check it and try again.`)
    if (error instanceof BodyTooLargeError) throw error
    // A multipart body with no boundary, or cut short; a client that went away.
    throw badForm('This form could not be read: it was incomplete or malformed. Please try again.')
  }
}

// Form fields as strings. Bad bytes (not UTF-8), a malformed or cut-off body: a 400; a body past the
// route's limit: BodyTooLargeError, a 413 (see middleware/body-limit.ts). A NUL is kept, for the
// form to refuse.
export function readForm(c: Context): Promise<Form> {
  let form = readForms.get(c)
  if (!form) {
    form = parseForm(c).then((pairs) => {
      const fields: Record<string, string> = {}
      for (const [name, value] of pairs) fields[name] ??= value
      const all = (name: string) =>
        pairs.filter(([key]) => key === name || key === `${name}[]`).map(([, value]) => value)
      return { fields, all }
    })
    readForms.set(c, form)
  }
  return form
}

// Text a table can hold and a page can show: no NUL or other control characters (line breaks only
// where the text may span lines), and no lone surrogates.
export const storableText = (label: string, options: { multiline?: boolean } = {}) =>
  v.check(
    (text: string) => !hasControlCharacters(text, options) && isWellFormed(text),
    `${label} must not contain control characters (such as NUL) or broken characters`,
  )

export const trimmedSchema = (label: string, max: number) =>
  v.pipe(
    v.optional(v.string(), ''),
    v.trim(),
    v.nonEmpty(`${label} is required`),
    v.maxLength(max, `${label} must be at most ${max} characters`),
    storableText(label),
  )

export const TableFormSchema = v.object({
  name: trimmedSchema('A name', 100),
  description: v.pipe(
    v.optional(v.string(), ''),
    v.trim(),
    v.maxLength(2000, 'A description must be at most 2,000 characters'),
    storableText('A description', { multiline: true }),
  ),
  visibility: v.optional(v.picklist(['public', 'private'], 'Choose public or private'), 'public'),
})
