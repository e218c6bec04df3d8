// Tamper-proof tokens: a JSON payload and its HMAC, so state can travel without storage.
import { createHmac, timingSafeEqual } from 'node:crypto'

export const hmac = (secret: string, value: string) =>
  createHmac('sha256', secret).update(value).digest('base64url')

export function safeEqual(a: string, b: string): boolean {
  const left = Buffer.from(a)
  const right = Buffer.from(b)
  return left.length === right.length && timingSafeEqual(left, right)
}

export function sign(secret: string, payload: object): string {
  const body = Buffer.from(JSON.stringify(payload)).toString('base64url')
  return `${body}.${hmac(secret, body)}`
}

export function verify<T>(secret: string, token: string): T | null {
  const [body, mac] = token.split('.')
  if (!body || !mac || !safeEqual(mac, hmac(secret, body))) return null
  try {
    return JSON.parse(Buffer.from(body, 'base64url').toString('utf8')) as T
  } catch {
    return null
  }
}
