import type { Server } from 'node:http'
import { connect, type Socket } from 'node:net'
import { Hono } from 'hono'
import { afterEach, describe, expect, it } from 'vitest'
import { SERVER_TIMEOUTS, type ServerTimeouts, startHttpServer } from './http-server.js'

const app = new Hono()
app.get('/', (c) => c.text('hello'))
app.post('/upload', async (c) => c.text(`received ${(await c.req.arrayBuffer()).byteLength} bytes`))
app.get('/never', () => new Promise<Response>(() => {}))

const short: ServerTimeouts = {
  headersMs: 600,
  requestMs: 1200,
  idleMs: 800,
  keepAliveMs: 400,
  checkIntervalMs: 100,
}

let server: Server | null = null
afterEach(async () => {
  server?.closeAllConnections()
  await new Promise((resolve) => server?.close(resolve) ?? resolve(null))
  server = null
})

async function start(timeouts?: ServerTimeouts) {
  const started = await startHttpServer(app.fetch, { port: 0, host: '127.0.0.1', timeouts })
  server = started.server
  return started.port
}

// A raw connection: what the server sent, and when it closed the connection.
function rawClient(port: number) {
  const socket: Socket = connect(port, '127.0.0.1')
  let received = ''
  socket.on('data', (chunk) => {
    received += chunk
  })
  socket.on('error', () => {})
  const opened = Date.now()
  const closed = new Promise<number>((resolve) =>
    socket.on('close', () => resolve(Date.now() - opened)),
  )
  return { socket, received: () => received, closed }
}

// Writes one piece every `everyMs` until the server closes the connection (or `count` run out).
function trickle(socket: Socket, pieces: () => string, everyMs: number, count: number) {
  const timer = setInterval(() => {
    if (socket.destroyed || count-- <= 0) return clearInterval(timer)
    socket.write(pieces())
  }, everyMs)
  socket.on('close', () => clearInterval(timer))
}

describe('the HTTP server', () => {
  it('cuts off a client that trickles its headers', async () => {
    const client = rawClient(await start(short))
    client.socket.write('GET / HTTP/1.1\r\nHost: localhost\r\n')
    trickle(client.socket, () => 'X-Slow: yes\r\n', 150, 40)
    const after = await client.closed
    expect(client.received()).toMatch(/^HTTP\/1\.1 408 Request Timeout/)
    expect(after).toBeGreaterThanOrEqual(short.headersMs)
    expect(after).toBeLessThan(short.headersMs + 1000)
  })

  it('cuts off an upload that trickles its body past the request deadline', async () => {
    const client = rawClient(await start(short))
    client.socket.write(
      'POST /upload HTTP/1.1\r\nHost: localhost\r\nContent-Type: text/csv\r\nContent-Length: 100000\r\n\r\n',
    )
    trickle(client.socket, () => 'x'.repeat(20), 100, 100)
    const after = await client.closed
    expect(client.received()).toMatch(/^HTTP\/1\.1 408/)
    expect(after).toBeLessThan(short.requestMs + 1000)
  })

  it('drops a connection where nothing has moved for the idle time', async () => {
    const client = rawClient(await start(short))
    client.socket.write('GET /never HTTP/1.1\r\nHost: localhost\r\n\r\n')
    const after = await client.closed
    expect(client.received()).toBe('')
    expect(after).toBeGreaterThanOrEqual(short.idleMs - 50)
    expect(after).toBeLessThan(short.idleMs + 1000)
  })

  it('answers a prompt client, then closes its kept-alive connection after the keep-alive time', async () => {
    const client = rawClient(await start(short))
    client.socket.write('GET / HTTP/1.1\r\nHost: localhost\r\n\r\n')
    const after = await client.closed
    expect(client.received()).toMatch(/^HTTP\/1\.1 200 OK[\s\S]*\r\n\r\nhello$/)
    expect(after).toBeGreaterThanOrEqual(short.keepAliveMs - 50)
  })

  it('takes an honest upload whole', async () => {
    const port = await start(short)
    const res = await fetch(`http://127.0.0.1:${port}/upload`, {
      method: 'POST',
      body: 'x'.repeat(500_000),
    })
    expect(await res.text()).toBe('received 500000 bytes')
  })

  it('uses the timeouts that suit Heroku unless told otherwise', async () => {
    await start()
    expect(SERVER_TIMEOUTS).toEqual({
      headersMs: 20_000,
      requestMs: 30_000,
      idleMs: 55_000,
      keepAliveMs: 95_000,
      checkIntervalMs: 1000,
    })
    expect(server).toMatchObject({
      headersTimeout: 20_000,
      requestTimeout: 30_000,
      timeout: 55_000,
      keepAliveTimeout: 95_000,
    })
  })
})
