// A tiny browser for tests: a cookie jar, manual redirects, and the CSRF token read from each page.
export class Browser {
  readonly cookies = new Map<string, string>()
  csrfToken = ''

  constructor(
    readonly base: string,
    readonly fetcher: (request: Request) => Response | Promise<Response> = fetch,
  ) {}

  private remember(res: Response) {
    for (const line of res.headers.getSetCookie()) {
      const [pair = '', ...attributes] = line.split(';')
      const [name = '', value = ''] = pair.split('=')
      const expired = attributes.some(
        (a) => /max-age=0\b/i.test(a.trim()) || /expires=Thu, 01 Jan 1970/i.test(a),
      )
      if (expired || value === '') this.cookies.delete(name.trim())
      else this.cookies.set(name.trim(), value)
    }
  }

  async request(path: string, init: RequestInit = {}): Promise<Response> {
    const url = new URL(path, this.base)
    const headers = new Headers(init.headers)
    if (this.cookies.size && url.origin === new URL(this.base).origin) {
      headers.set('cookie', [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; '))
    }
    const res = await this.fetcher(new Request(url, { ...init, headers, redirect: 'manual' }))
    this.remember(res)
    return res
  }

  // GET a page and keep its CSRF token for the next form.
  async get(
    path: string,
    headers: Record<string, string> = {},
  ): Promise<{ res: Response; html: string }> {
    const res = await this.request(path, { headers })
    const html = await res.text()
    const token = /name="_csrf" value="([^"]*)"/.exec(html)?.[1]
    if (token) this.csrfToken = token
    return { res, html }
  }

  post(
    path: string,
    fields: Record<string, string> = {},
    headers: Record<string, string> = {},
  ): Promise<Response> {
    const body = new URLSearchParams({ _csrf: this.csrfToken, ...fields })
    return this.request(path, {
      method: 'POST',
      body,
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        origin: new URL(this.base).origin,
        ...headers,
      },
    })
  }
}
