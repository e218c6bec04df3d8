// An application call made for a form: a refusal that names fields comes back as those messages,
// for the form to be shown again (400, as for any bad input; 403 past a quota); anything else is
// thrown on.
import { AppError, type FieldErrors } from '../application/errors.js'

export type FormOutcome<T> =
  | { ok: true; value: T }
  | { ok: false; errors: FieldErrors; status: 400 | 403 }

export async function forForm<T>(work: () => Promise<T>): Promise<FormOutcome<T>> {
  try {
    return { ok: true, value: await work() }
  } catch (error) {
    if (!(error instanceof AppError) || Object.keys(error.errors).length === 0) throw error
    if (!['invalid', 'conflict', 'forbidden'].includes(error.kind)) throw error
    return { ok: false, errors: error.errors, status: error.kind === 'forbidden' ? 403 : 400 }
  }
}
