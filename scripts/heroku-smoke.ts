// scripts/heroku-smoke: a Heroku deploy simulated on this machine, from a fresh clone of HEAD:
// the buildpack's steps, the Procfile's release and web commands against an SSL-only Postgres,
// then what a visitor and a restart would see.
import { execFileSync, spawn } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import pg from 'pg'
import { createPgCluster, freePort, type PgCluster } from '../src/test/pg-cluster.js'
import { startSlowSignIn } from '../src/test/slow-sign-in.js'

const keep = process.argv.includes('--keep')
const started = Date.now()
const say = (text: string) =>
  console.error(`[${((Date.now() - started) / 1000).toFixed(1)}s] ${text}`)
function check(ok: unknown, what: string): asserts ok {
  if (!ok) throw new Error(`FAILED: ${what}`)
  say(`ok: ${what}`)
}

// What Heroku would have in the app's config vars (placeholder GitHub credentials).
const CONFIG_VARS = {
  NODE_ENV: 'production',
  SECRET_KEY: 'heroku-smoke-secret-key-0123456789abcdef',
  GITHUB_CLIENT_ID: 'placeholder-client-id',
  GITHUB_CLIENT_SECRET: 'placeholder-client-secret',
  TRUST_PROXY: 'true',
  WEB_CONCURRENCY: '2',
}

function run(command: string, args: string[], cwd: string, env?: Record<string, string>) {
  say(`$ ${[command, ...args].join(' ')}`)
  execFileSync(command, args, {
    cwd,
    stdio: ['ignore', 'inherit', 'inherit'],
    env: env ?? process.env,
  })
}

function procfile(dir: string): Record<string, string> {
  const entries = readFileSync(join(dir, 'Procfile'), 'utf8')
    .split('\n')
    .map((line) => /^([a-z]+):\s*(.+)$/.exec(line.trim()))
    .filter((match) => match !== null)
    .map((match) => [match[1], match[2]])
  return Object.fromEntries(entries)
}

async function waitForHealth(origin: string, seconds: number) {
  const deadline = Date.now() + seconds * 1000
  while (Date.now() < deadline) {
    try {
      if ((await fetch(`${origin}/healthz`)).status === 200) return
    } catch {
      // Not listening yet.
    }
    await new Promise((resolve) => setTimeout(resolve, 250))
  }
  throw new Error(`FAILED: ${origin}/healthz did not answer 200 within ${seconds} s`)
}

async function main() {
  const repo = execFileSync('git', ['rev-parse', '--show-toplevel']).toString().trim()
  const work = mkdtempSync(join(tmpdir(), 'hostedapi-heroku-'))
  const app = join(work, 'app')
  let cluster: PgCluster | null = null
  try {
    // The build, as the Node.js buildpack does it.
    run('git', ['clone', '--quiet', repo, app], work)
    say(
      `commit ${execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: app }).toString().trim()}`,
    )
    run('npm', ['ci', '--no-audit', '--no-fund', '--prefer-offline'], app)
    run('npm', ['run', 'build'], app)
    run('npm', ['prune', '--omit=dev', '--no-audit', '--no-fund'], app)
    const commands = procfile(app)
    check(commands.web && commands.release, 'the Procfile has web and release commands')

    // Heroku Postgres: TLS only, a certificate no system root vouches for, not on localhost.
    cluster = await createPgCluster({ ssl: true, host: '127.0.0.2' })
    const plain = new pg.Client({ connectionString: cluster.url(), ssl: false })
    const refused = await plain.connect().then(
      () => false,
      () => true,
    )
    await plain.end().catch(() => {})
    check(refused, 'the database refuses connections without TLS')
    const env = {
      PATH: process.env.PATH ?? '',
      HOME: process.env.HOME ?? '',
      ...CONFIG_VARS,
      DATABASE_URL: cluster.url(),
    }

    // The release phase, then app.json's postdeploy (the demo tables), as a new app gets them.
    run('bash', ['-c', commands.release], app, env)
    const appJson = JSON.parse(readFileSync(join(app, 'app.json'), 'utf8'))
    run('bash', ['-c', appJson.scripts.postdeploy], app, env)

    // The web dyno.
    const port = await freePort()
    const origin = `http://127.0.0.1:${port}`
    const web = spawn('bash', ['-c', commands.web], {
      cwd: app,
      env: { ...env, PORT: String(port) },
      stdio: ['ignore', 'pipe', 'inherit'],
      detached: true,
    })
    let logs = ''
    web.stdout?.on('data', (chunk) => {
      logs += chunk
    })
    const exited = new Promise<number | null>((resolve) =>
      web.once('exit', (code) => resolve(code)),
    )
    try {
      await waitForHealth(origin, 90)
      const dashboard = await fetch(`${origin}/`, { headers: { 'Accept-Encoding': 'br, gzip' } })
      const html = await dashboard.text()
      check(
        dashboard.status === 200 && html.includes('UK General Election 2017'),
        'the dashboard lists the demo tables',
      )
      check(
        dashboard.headers.get('Content-Encoding') === 'br',
        'the dashboard is sent compressed (br)',
      )
      check(dashboard.headers.get('Strict-Transport-Security'), 'production sends HSTS')

      const table = await fetch(`${origin}/demo/tables/uk-general-election-2017?format=json`, {
        headers: { 'X-Forwarded-Proto': 'https', 'X-Request-ID': 'heroku-smoke-1' },
      })
      const body = await table.text()
      const links = body.match(/"[a-z]+:\/\/[^"]*"/g) ?? []
      check(table.status === 200 && links.length > 0, 'a table page answers behind the router')
      check(
        links.every((link) => link.startsWith('"https://')),
        `its absolute links are https (${links[0]})`,
      )
      check(
        table.headers.get('X-Request-ID') === 'heroku-smoke-1',
        "the router's X-Request-ID comes back",
      )
      const page = await fetch(`${origin}/demo/tables/uk-general-election-2017`, {
        headers: { 'X-Forwarded-Proto': 'https' },
      })
      check(page.status === 200 && (await page.text()).includes('<table'), 'the table page renders')

      const health = await fetch(`${origin}/healthz`)
      check(JSON.stringify(await health.json()) === '{"status":"ok"}', '/healthz says ok')

      const css = await fetch(`${origin}/static/app.css`)
      const etag = css.headers.get('ETag') ?? ''
      check(
        css.headers.get('Cache-Control') === 'public, max-age=3600',
        'static files carry Cache-Control',
      )
      const again = await fetch(`${origin}/static/app.css`, { headers: { 'If-None-Match': etag } })
      check(again.status === 304, 'a static file the browser has answers 304')

      await new Promise((resolve) => setTimeout(resolve, 200))
      const line = logs.split('\n').find((text) => text.includes('"request_id":"heroku-smoke-1"'))
      check(
        line && JSON.parse(line).status === 200,
        'the request log has a line with that request id',
      )

      // A deploy or the daily restart: Heroku sends SIGTERM to every process of the dyno.
      const slow = await startSlowSignIn(origin)
      const signalled = Date.now()
      process.kill(-(web.pid ?? 0), 'SIGTERM')
      await new Promise((resolve) => setTimeout(resolve, 500))
      slow.finish()
      const answer = await slow.response
      check(
        answer.status === 303 &&
          answer.location?.startsWith('https://github.com/login/oauth/authorize?') &&
          answer.location.includes('client_id=placeholder-client-id'),
        'the sign-in in flight at SIGTERM is answered (303 to GitHub)',
      )
      check(
        /finishing 1 requests in flight/.test(logs),
        'a worker saw the request in flight at SIGTERM',
      )
      const code = await exited
      check(
        code === 0,
        `the web process exits 0 (it exited ${code}) after ${Date.now() - signalled} ms`,
      )
      const leftover = (() => {
        try {
          process.kill(-(web.pid ?? 0), 0)
          return true
        } catch {
          return false
        }
      })()
      check(!leftover, 'no worker is left running')
    } finally {
      if (web.exitCode === null) process.kill(-(web.pid ?? 0), 'SIGKILL')
    }
    say('Heroku smoke test passed')
  } finally {
    await cluster?.destroy()
    if (keep) say(`kept ${work}`)
    else rmSync(work, { recursive: true, force: true })
  }
}

main().catch((error) => {
  console.error(error instanceof Error ? error.message : error)
  process.exit(1)
})
