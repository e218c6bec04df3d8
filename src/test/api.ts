// Test helpers for the REST API: tokens made straight in the database, and requests that carry them.
import type { Scope } from '../application/actor.js'
import { createApiToken } from '../auth/tokens.js'
import type { TestApp } from './app.js'

export async function tokenFor(
  t: TestApp,
  userId: number,
  scopes: Scope[],
  options: { tableIds?: number[] | null; expiresAt?: Date | null } = {},
): Promise<string> {
  const { token } = await createApiToken(t.database.db, {
    userId,
    name: `test ${scopes.join(' ')}`,
    scopes,
    tableIds: options.tableIds ?? null,
    expiresAt: options.expiresAt ?? null,
  })
  return token
}

// A request to the API with a token (or none), a JSON body unless the body is already text or bytes.
export function apiRequest(
  t: TestApp,
  method: string,
  path: string,
  options: { token?: string | null; body?: unknown; headers?: Record<string, string> } = {},
): Promise<Response> {
  const headers: Record<string, string> = { ...options.headers }
  if (options.token) headers.authorization = `Bearer ${options.token}`
  let body: string | Uint8Array<ArrayBuffer> | undefined
  if (options.body !== undefined) {
    body =
      typeof options.body === 'string'
        ? options.body
        : options.body instanceof Uint8Array
          ? new Uint8Array(options.body)
          : JSON.stringify(options.body)
    headers['content-type'] ??= 'application/json'
  }
  return Promise.resolve(t.app.request(`http://localhost/api/v1${path}`, { method, headers, body }))
}
