// Reading and validating posted forms: expected failures come back as messages per field.
import type { Context } from 'hono'
import * as v from 'valibot'

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

// Form fields as strings; repeated fields (checkbox lists) as arrays under `all`.
export async function readForm(
  c: Context,
): Promise<{ fields: Record<string, string>; all: (name: string) => string[] }> {
  const body = await c.req.parseBody({ all: true })
  const fields: Record<string, string> = {}
  for (const [key, value] of Object.entries(body)) {
    const first = Array.isArray(value) ? value[0] : value
    if (typeof first === 'string') fields[key] = first
  }
  const all = (name: string) => {
    const value = body[name] ?? body[`${name}[]`]
    return (Array.isArray(value) ? value : value === undefined ? [] : [value]).filter(
      (item): item is string => typeof item === 'string',
    )
  }
  return { fields, all }
}

export const trimmedSchema = (label: string, max: number) =>
  v.pipe(
    v.optional(v.string(), ''),
    v.trim(),
    v.nonEmpty(`${label} is required`),
    v.maxLength(max, `${label} must be at most ${max} characters`),
  )

export const TableFormSchema = v.object({
  name: trimmedSchema('A name', 100),
  description: v.pipe(
    v.optional(v.string(), ''),
    v.trim(),
    v.maxLength(2000, 'A description must be at most 2,000 characters'),
  ),
  visibility: v.optional(v.picklist(['public', 'private'], 'Choose public or private'), 'public'),
})
