import { Agent, request, type Server } from 'node:http'
import { Hono } from 'hono'
import { afterEach, describe, expect, it } from 'vitest'
import { trackRequests } from './drain.js'
import { SERVER_TIMEOUTS, startHttpServer } from './http-server.js'

const app = new Hono()
app.get('/', (c) => c.text('hello'))
app.get('/slow', async (c) => {
  await new Promise((resolve) => setTimeout(resolve, Number(c.req.query('ms') ?? 500)))
  return c.text('slow done')
})
app.post('/upload', async (c) => c.text(`received ${(await c.req.arrayBuffer()).byteLength} bytes`))

let server: Server | null = null
afterEach(() => {
  server?.closeAllConnections()
  server = null
})

async function start() {
  const started = await startHttpServer(app.fetch, {
    port: 0,
    host: '127.0.0.1',
    timeouts: { ...SERVER_TIMEOUTS, checkIntervalMs: 100 },
  })
  server = started.server
  return { drain: trackRequests(started.server), port: started.port }
}

interface Answer {
  status: number
  connection: string | undefined
  body: string
}

// A request over http.request, so a test can hold the body back and keep connections alive.
function send(
  port: number,
  options: { path: string; method?: string; agent?: Agent; body?: AsyncIterable<string> },
): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: '127.0.0.1',
        port,
        path: options.path,
        method: options.method ?? 'GET',
        agent: options.agent,
      },
      (res) => {
        let body = ''
        res.on('data', (chunk) => {
          body += chunk
        })
        res.on('end', () =>
          resolve({ status: res.statusCode ?? 0, connection: res.headers.connection, body }),
        )
        res.on('error', reject)
      },
    )
    req.on('error', reject)
    if (!options.body) return req.end()
    ;(async () => {
      for await (const piece of options.body ?? []) req.write(piece)
      req.end()
    })()
  })
}

const wait = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

describe('closing the server', () => {
  it('lets a request in flight finish, says Connection: close, and then refuses new ones', async () => {
    const { drain, port } = await start()
    const slow = send(port, { path: '/slow?ms=600' })
    await wait(100)
    expect(drain.inFlight()).toBe(1)
    const closed = drain.close(5000)
    await wait(50)
    await expect(send(port, { path: '/' })).rejects.toMatchObject({ code: 'ECONNREFUSED' })
    expect(await slow).toEqual({ status: 200, connection: 'close', body: 'slow done' })
    expect(await closed).toEqual({ unfinished: 0 })
  })

  it('waits for an upload whose body is still arriving', async () => {
    const { drain, port } = await start()
    async function* body() {
      for (let i = 0; i < 8; i++) {
        yield 'x'.repeat(1000)
        await wait(100)
      }
    }
    const upload = send(port, { path: '/upload', method: 'POST', body: body() })
    await wait(150)
    const started = Date.now()
    const result = await drain.close(5000)
    expect(result).toEqual({ unfinished: 0 })
    expect(Date.now() - started).toBeGreaterThan(400)
    expect(await upload).toMatchObject({ status: 200, body: 'received 8000 bytes' })
  })

  it('closes kept-alive connections at once when they are idle, and as soon as they fall idle', async () => {
    const { drain, port } = await start()
    const agent = new Agent({ keepAlive: true, maxSockets: 2 })
    expect((await send(port, { path: '/', agent })).connection).toBe('keep-alive')
    const slow = send(port, { path: '/slow?ms=300', agent })
    await wait(50)
    const started = Date.now()
    await drain.close(5000)
    // Not the 95 s the router's keep-alive connections may otherwise stay open.
    expect(Date.now() - started).toBeLessThan(1500)
    expect((await slow).connection).toBe('close')
    agent.destroy()
  })

  it('cuts what is still running at the deadline, and says how many', async () => {
    const { drain, port } = await start()
    const slow = send(port, { path: '/slow?ms=5000' })
    slow.catch(() => {})
    await wait(100)
    const started = Date.now()
    expect(await drain.close(300)).toEqual({ unfinished: 1 })
    expect(Date.now() - started).toBeLessThan(1500)
    await expect(slow).rejects.toMatchObject({ code: 'ECONNRESET' })
  })
})
