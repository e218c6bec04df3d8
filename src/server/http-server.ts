// The HTTP server, with timeouts that suit Heroku's router: it gives up on a request that has no
// answer after 30 s, and on a connection where nothing moved for 55 s.
import type { Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { createAdaptorServer } from '@hono/node-server'

export interface ServerTimeouts {
  // A client must send all its headers within this (a client trickling them is cut off).
  headersMs: number
  // …and its whole request, body included; by then the router has answered 503 (H12) anyway.
  requestMs: number
  // No byte either way for this long during a request: the router has dropped it (H15).
  idleMs: number
  // Between requests on a kept-alive connection: longer than the router's own 90 s, so that
  // the router, not the app, closes it (no request is sent on a connection being closed).
  keepAliveMs: number
  // How often Node checks the header and request deadlines.
  checkIntervalMs: number
}

export const SERVER_TIMEOUTS: ServerTimeouts = {
  headersMs: 20_000,
  requestMs: 30_000,
  idleMs: 55_000,
  keepAliveMs: 95_000,
  checkIntervalMs: 1_000,
}

export async function startHttpServer(
  fetch: (request: Request) => Response | Promise<Response>,
  options: { port: number; host: string; timeouts?: ServerTimeouts },
): Promise<{ server: Server; port: number }> {
  const timeouts = options.timeouts ?? SERVER_TIMEOUTS
  const server = createAdaptorServer({
    fetch,
    serverOptions: {
      headersTimeout: timeouts.headersMs,
      requestTimeout: timeouts.requestMs,
      keepAliveTimeout: timeouts.keepAliveMs,
      connectionsCheckingInterval: timeouts.checkIntervalMs,
    },
  }) as Server
  server.timeout = timeouts.idleMs
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(options.port, options.host, () => {
      server.off('error', reject)
      resolve()
    })
  })
  return { server, port: (server.address() as AddressInfo).port }
}
