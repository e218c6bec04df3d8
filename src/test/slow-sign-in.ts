// A request that stays in flight for as long as a test wants: the sign-in form's POST, with a
// valid CSRF token, whose body is sent in two halves; the answer is the redirect to GitHub.
import { request } from 'node:http'

export interface SlowRequest {
  // Sends the rest of the body; the server can answer only after that.
  finish(): void
  response: Promise<{ status: number; location: string | null; connection: string | null }>
}

export async function startSlowSignIn(origin: string): Promise<SlowRequest> {
  const page = await fetch(`${origin}/auth/login`)
  const token = /name="_csrf" value="([^"]+)"/.exec(await page.text())?.[1]
  if (!token) throw new Error('No CSRF token on the sign-in page')
  const cookie = page.headers
    .getSetCookie()
    .map((line) => line.split(';')[0])
    .join('; ')
  const body = `next=%2F&_csrf=${encodeURIComponent(token)}`
  const half = Math.floor(body.length / 2)
  const url = new URL('/auth/login', origin)
  let finish = () => {}
  const response = new Promise<Awaited<SlowRequest['response']>>((resolve, reject) => {
    const req = request(
      {
        host: url.hostname,
        port: url.port,
        path: url.pathname,
        method: 'POST',
        headers: {
          Cookie: cookie,
          'Content-Type': 'application/x-www-form-urlencoded',
          'Content-Length': String(Buffer.byteLength(body)),
        },
      },
      (res) => {
        res.resume()
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            location: res.headers.location ?? null,
            connection: res.headers.connection ?? null,
          }),
        )
      },
    )
    req.on('error', reject)
    req.write(body.slice(0, half))
    finish = () => req.end(body.slice(half))
  })
  // Let the first half reach the server before the test moves on.
  await new Promise((resolve) => setTimeout(resolve, 100))
  return { finish, response }
}
