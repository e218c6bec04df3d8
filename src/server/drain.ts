// Closing the HTTP server in order: stop accepting, let the requests in flight finish (uploads,
// imports, exports), close kept-alive connections as they fall idle, cut what is left at a deadline.
import type { Server, ServerResponse } from 'node:http'

export interface Drain {
  inFlight(): number
  // Resolves once every connection is closed, with how many requests were cut at the deadline.
  close(deadlineMs: number): Promise<{ unfinished: number }>
}

// Node's server.close() waits for kept-alive connections, and answers requests that arrive on
// them meanwhile with "keep-alive" too; so each response from now on says "Connection: close".
export function trackRequests(server: Server): Drain {
  const active = new Set<ServerResponse>()
  let closing = false
  const closeIdle = () => setImmediate(() => server.closeIdleConnections())
  server.on('request', (_request, response: ServerResponse) => {
    active.add(response)
    if (closing) response.setHeader('Connection', 'close')
    response.on('close', () => {
      active.delete(response)
      if (closing) closeIdle()
    })
  })
  return {
    inFlight: () => active.size,
    close(deadlineMs) {
      closing = true
      for (const response of active) {
        if (!response.headersSent) response.setHeader('Connection', 'close')
      }
      return new Promise((resolve) => {
        let unfinished = 0
        const timer = setTimeout(() => {
          unfinished = active.size
          server.closeAllConnections()
        }, deadlineMs)
        server.close(() => {
          clearTimeout(timer)
          resolve({ unfinished })
        })
        server.closeIdleConnections()
      })
    },
  }
}
