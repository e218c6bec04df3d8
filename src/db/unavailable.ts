// Errors that mean "the database cannot be reached just now" (a 503), not a bug (a 500).
const NETWORK_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
])

// SQLSTATE: admin_shutdown (a restart, or pg_terminate_backend), crash_shutdown,
// cannot_connect_now (starting up or shutting down), too_many_connections; class 08 is
// "connection exception".
const SQLSTATES = new Set(['57P01', '57P02', '57P03', '53300'])

// node-postgres and pg-pool say these in words only.
const MESSAGES = [
  /^Connection terminated/,
  /^timeout exceeded when trying to connect/,
  // "Client has encountered a connection error and is not queryable", "Client was closed and …"
  /and is not queryable$/,
]

// pg-pool rejects with the socket's own error when it cannot connect (an AggregateError when
// both of localhost's addresses refuse). A network error found deeper, as the cause of another,
// came from somewhere else (fetch wraps its own), and a client that hung up ("aborted") is not
// the database either.
export function isDatabaseUnavailable(error: unknown, depth = 0): boolean {
  if (!(error instanceof Error) || depth > 5) return false
  const code = (error as { code?: unknown }).code
  if (typeof code === 'string') {
    if (SQLSTATES.has(code) || /^08[0-9A-Z]{3}$/.test(code)) return true
    if (NETWORK_CODES.has(code) && error.message !== 'aborted' && depth === 0) return true
  }
  if (MESSAGES.some((pattern) => pattern.test(error.message))) return true
  if (error instanceof AggregateError) {
    return error.errors.some((inner) => inner instanceof Error && isNetworkError(inner))
  }
  return isDatabaseUnavailable(error.cause, depth + 1)
}

const isNetworkError = (error: Error) =>
  NETWORK_CODES.has(String((error as { code?: unknown }).code))
