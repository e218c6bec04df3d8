// What the application layer refuses, as values every adapter (pages, API, command line) maps its own way.
export type FieldErrors = Record<string, string>

export type RefusalKind =
  | 'not_found'
  | 'unauthorized'
  | 'forbidden'
  | 'invalid'
  | 'conflict'
  | 'precondition_failed'
  | 'too_large'
  | 'unsupported_media_type'

// The HTTP status each refusal becomes, for the adapters that speak HTTP (pages and API alike).
export const REFUSAL_STATUS = {
  not_found: 404,
  unauthorized: 401,
  forbidden: 403,
  invalid: 400,
  conflict: 409,
  precondition_failed: 412,
  too_large: 413,
  unsupported_media_type: 415,
} as const satisfies Record<RefusalKind, number>

export interface RefusalExtras {
  // A message per field: keys are field names (`votes`), row-indexed for bulk writes (`3.votes`),
  // or `form` for the input as a whole.
  errors?: FieldErrors
  // Anything else a caller can act on: a conversion's failure count and samples, an import's line.
  details?: Record<string, unknown>
}

export class AppError extends Error {
  readonly errors: FieldErrors
  readonly details: Record<string, unknown>
  constructor(
    readonly kind: RefusalKind,
    message: string,
    extras: RefusalExtras = {},
  ) {
    super(message)
    this.errors = extras.errors ?? {}
    this.details = extras.details ?? {}
  }
}

// Missing, or private and not the caller's: the two answer alike, so a private table stays invisible.
export class NotFoundError extends AppError {
  constructor(what: string) {
    super('not_found', `${what} does not exist, or you cannot see it.`)
  }
}

// Signed out (or no token) where a user is needed.
export class UnauthorizedError extends AppError {
  constructor(message = 'Sign in, or send an API token, to do this.') {
    super('unauthorized', message)
  }
}

export class ForbiddenError extends AppError {
  constructor(message: string, extras: RefusalExtras = {}) {
    super('forbidden', message, extras)
  }
}

// Bad input.
export class InvalidError extends AppError {
  constructor(message: string, extras: RefusalExtras = {}) {
    super('invalid', message, extras)
  }
}

// The input is sound, but the state of things refuses it (a name already taken, a conversion).
export class ConflictError extends AppError {
  constructor(message: string, extras: RefusalExtras = {}) {
    super('conflict', message, extras)
  }
}

// A conditional write whose version no longer matches; `current` is what the row is now.
export class PreconditionFailedError<T = unknown> extends AppError {
  constructor(
    message: string,
    readonly current: T,
  ) {
    super('precondition_failed', message)
  }
}

export class TooLargeError extends AppError {
  constructor(message: string) {
    super('too_large', message)
  }
}

// A renamed table's old address: the new slug, given only to callers who may see the table.
export class MovedError extends Error {
  constructor(
    readonly username: string,
    readonly slug: string,
  ) {
    super(`Moved to ${username}/${slug}`)
  }
}
