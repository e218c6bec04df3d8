// The app as Heroku runs it: `src/main.ts` in a process of its own (its own process group, so a
// test can signal every process at once, as Heroku does), with its log lines collected.
import { type ChildProcess, spawn } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'
import { appPath } from '../paths.js'
import type { LogLine } from './logs.js'

export interface AppProcess {
  child: ChildProcess
  // Parsed JSON log lines; anything else (a plain error line) as { msg: text }.
  lines: LogLine[]
  stderr(): string
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>
  waitFor(test: (lines: LogLine[]) => boolean, timeoutMs?: number): Promise<void>
  signalAll(signal: NodeJS.Signals): void
  cleanup(): void
}

// tsx's loader by its path: `--import tsx` would be looked up from the working directory.
const TSX_LOADER = pathToFileURL(appPath('node_modules/tsx/dist/loader.mjs')).href

export function spawnApp(
  env: Record<string, string>,
  command = ['--import', TSX_LOADER, appPath('src/main.ts')],
): AppProcess {
  // An empty working directory: no developer's .env is read.
  const cwd = mkdtempSync(join(tmpdir(), 'hostedapi-app-'))
  const child = spawn(process.execPath, command, {
    cwd,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  })
  const lines: LogLine[] = []
  let stderr = ''
  let partial = ''
  child.stdout?.on('data', (chunk: Buffer) => {
    const text = partial + chunk.toString()
    const complete = text.split('\n')
    partial = complete.pop() ?? ''
    for (const line of complete) {
      try {
        lines.push(JSON.parse(line))
      } catch {
        lines.push({ level: 'text', msg: line })
      }
    }
  })
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr += chunk
  })
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once('exit', (code, signal) => resolve({ code, signal })),
  )
  return {
    child,
    lines,
    stderr: () => stderr,
    exited,
    async waitFor(test, timeoutMs = 60_000) {
      const deadline = Date.now() + timeoutMs
      while (!test(lines)) {
        if (child.exitCode !== null || Date.now() > deadline) {
          throw new Error(
            `Gave up waiting (exit code ${child.exitCode}):\n${lines.map((l) => l.msg).join('\n')}\n${stderr}`,
          )
        }
        await new Promise((resolve) => setTimeout(resolve, 50))
      }
    },
    signalAll(signal) {
      if (child.pid) process.kill(-child.pid, signal)
    },
    cleanup() {
      try {
        if (child.pid && child.exitCode === null) process.kill(-child.pid, 'SIGKILL')
      } catch {
        // Already gone.
      }
      rmSync(cwd, { recursive: true, force: true })
    },
  }
}

export function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch {
    return false
  }
}

export const listening = (lines: LogLine[]) =>
  lines.filter((line) => /^HostedAPI listening on /.test(line.msg))
