// The one check for every redirect target taken from a request (`next`, `back`, a Referer).
import { hasControlCharacters } from './text.js'

export const MAX_REDIRECT_LENGTH = 2048

// Any C0 control, DEL or backslash: browsers strip or reinterpret them (`/\t/evil.com` becomes
// `//evil.com`, and so does `/\evil.com`), and CR or LF would split the Location header.
const hasTricks = (value: string) => value.includes('\\') || hasControlCharacters(value)

// `value` as a path on this site (with its query and fragment), or `fallback`. It is resolved with
// the WHATWG URL parser against `origin`, as a browser resolves a Location, and kept only when it
// lands on that origin; so a relative path or a same-origin absolute URL (a Referer) passes, and
// `//evil.com`, `https://evil.com` or `javascript:` do not. The answer is always a local path.
export function safeRedirectPath(value: unknown, origin: string, fallback = '/'): string {
  if (typeof value !== 'string' || value === '' || value.length > MAX_REDIRECT_LENGTH)
    return fallback
  if (hasTricks(value)) return fallback
  let url: URL
  let base: URL
  try {
    base = new URL(origin)
    url = new URL(value, base)
  } catch {
    return fallback
  }
  if (url.origin !== base.origin || url.origin === 'null') return fallback
  const path = `${url.pathname}${url.search}${url.hash}`
  // The parser may normalize `/.//evil.com` into `//evil.com`: a path must not start that way.
  if (!path.startsWith('/') || path.startsWith('//') || path.length > MAX_REDIRECT_LENGTH)
    return fallback
  return path
}
