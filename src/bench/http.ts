// A small keep-alive HTTP client: whole responses for latency, streamed counting for exports.
import http from 'node:http'

export interface Response {
  status: number
  body: string
  headers: http.IncomingHttpHeaders
}

export class HttpClient {
  private readonly agent: http.Agent
  private cookie = ''

  constructor(
    private readonly origin: string,
    maxSockets = 32,
  ) {
    this.agent = new http.Agent({ keepAlive: true, maxSockets })
  }

  // An idle keep-alive socket the server has just closed fails with ECONNRESET: retry once.
  private async request<T>(
    path: string,
    onResponse: (res: http.IncomingMessage, done: (value: T) => void) => void,
  ): Promise<T> {
    try {
      return await this.requestOnce(path, onResponse)
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ECONNRESET') throw error
      return this.requestOnce(path, onResponse)
    }
  }

  private requestOnce<T>(
    path: string,
    onResponse: (res: http.IncomingMessage, done: (value: T) => void) => void,
  ): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      const req = http.get(
        `${this.origin}${path}`,
        { agent: this.agent, headers: this.cookie ? { cookie: this.cookie } : {} },
        (res) => {
          res.on('error', reject)
          onResponse(res, resolve)
        },
      )
      req.on('error', reject)
    })
  }

  // The whole body as text. Keeps the cookies of the first response, as a browser would.
  async get(path: string): Promise<Response> {
    return this.request<Response>(path, (res, done) => {
      const chunks: Buffer[] = []
      res.on('data', (chunk: Buffer) => chunks.push(chunk))
      res.on('end', () => {
        const setCookie = res.headers['set-cookie']
        if (setCookie && !this.cookie) {
          this.cookie = setCookie.map((cookie) => cookie.split(';')[0]).join('; ')
        }
        done({
          status: res.statusCode ?? 0,
          body: Buffer.concat(chunks).toString('utf8'),
          headers: res.headers,
        })
      })
    })
  }

  // Fails unless the answer is 200, so a broken page is never timed as a fast one.
  async getOk(path: string): Promise<Response> {
    const response = await this.get(path)
    if (response.status !== 200) {
      throw new Error(`GET ${path} answered ${response.status}: ${response.body.slice(0, 300)}`)
    }
    return response
  }

  // Reads the body as it arrives and counts its lines, holding none of it.
  async countLines(path: string): Promise<{ status: number; bytes: number; lines: number }> {
    return this.request(path, (res, done) => {
      let bytes = 0
      let lines = 0
      res.on('data', (chunk: Buffer) => {
        bytes += chunk.length
        for (let i = chunk.indexOf(10); i !== -1; i = chunk.indexOf(10, i + 1)) lines++
      })
      res.on('end', () => done({ status: res.statusCode ?? 0, bytes, lines }))
    })
  }

  close(): void {
    this.agent.destroy()
  }
}

const decodeEntities = (text: string) =>
  text
    .replaceAll('&amp;', '&')
    .replaceAll('&quot;', '"')
    .replaceAll('&#39;', "'")
    .replaceAll('&lt;', '<')
    .replaceAll('&gt;', '>')

// The `href` of the `<a>` whose attributes match `attribute` (e.g. rel="next").
export function linkWith(html: string, attribute: RegExp): string | null {
  for (const match of html.matchAll(/<a\s[^>]*>/g)) {
    const tag = match[0]
    if (!attribute.test(tag)) continue
    const href = /\shref="([^"]*)"/.exec(tag)?.[1]
    if (href !== undefined) return decodeEntities(href)
  }
  return null
}

// The link of the highest page number in the pagination bar: the UI's way to the last page.
export function lastPageLink(html: string): string | null {
  const nav = /<nav class="pagination"[\s\S]*?<\/nav>/.exec(html)?.[0] ?? ''
  let best: { page: number; href: string } | null = null
  for (const match of nav.matchAll(/<a\s[^>]*href="([^"]*)"[^>]*>\s*(\d+)\s*<\/a>/g)) {
    const page = Number(match[2])
    if (!best || page > best.page) best = { page, href: decodeEntities(match[1] ?? '') }
  }
  return best?.href ?? null
}
