// What `scripts/import` prints: the progress bar, numbers, the summary and the failure line.

const NUMBER = new Intl.NumberFormat('en-US')

export const formatCount = (n: number) => NUMBER.format(n)

export const plural = (n: number, word: string) => `${formatCount(n)} ${word}${n === 1 ? '' : 's'}`

// Rows per second, to three significant figures (312,124 → 312,000).
export function formatRate(rows: number, elapsedMs: number): string {
  if (elapsedMs <= 0) return '– rows/s'
  const rate = (rows * 1000) / elapsedMs
  if (rate < 1) return `${rate.toFixed(2)} rows/s`
  const step = 10 ** Math.max(0, Math.floor(Math.log10(rate)) - 2)
  return `${formatCount(Math.round(rate / step) * step)} rows/s`
}

// A short, rounded-up duration for an ETA: 7s, 2m 05s, 1h 02m.
export function formatDuration(ms: number): string {
  const seconds = Math.max(0, Math.ceil(ms / 1000))
  if (seconds < 60) return `${seconds}s`
  const minutes = Math.floor(seconds / 60)
  if (minutes < 60) return `${minutes}m ${String(seconds % 60).padStart(2, '0')}s`
  return `${Math.floor(minutes / 60)}h ${String(minutes % 60).padStart(2, '0')}m`
}

// An elapsed time for a summary: 0.4 s, 3.2 s, 2 min 5 s.
export function formatElapsed(ms: number): string {
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)} s`
  const seconds = Math.round(ms / 1000)
  return `${Math.floor(seconds / 60)} min ${seconds % 60} s`
}

export interface ProgressState {
  rows: number
  total: number
  elapsedMs: number
  width?: number
}

// `[##########----------]  52%  520,000 / 1,000,000 rows  312,000 rows/s  ETA 2s`
export function renderProgress({ rows, total, elapsedMs, width = 20 }: ProgressState): string {
  const fraction = total > 0 ? Math.min(1, Math.max(0, rows / total)) : 1
  const filled = Math.floor(fraction * width)
  const bar = `[${'#'.repeat(filled)}${'-'.repeat(width - filled)}]`
  const percent = `${Math.floor(fraction * 100)}%`.padStart(4)
  const parts = [`${bar} ${percent}`, `${formatCount(rows)} / ${formatCount(total)} rows`]
  if (rows > 0 && elapsedMs > 0) {
    parts.push(formatRate(rows, elapsedMs))
    if (rows < total) parts.push(`ETA ${formatDuration(((total - rows) * elapsedMs) / rows)}`)
  }
  return parts.join('  ')
}

export interface ProgressReporter {
  update(rows: number): void
  // The last line, at the final count.
  finish(rows: number): void
  // Stops mid-way (an error follows): ends a redrawn line so the next message starts afresh.
  abort(): void
}

export interface ReporterOptions {
  total: number
  // On a terminal the bar redraws in place; in a log it prints a line every 10%.
  tty: boolean
  write: (text: string) => void
  now?: () => number
  width?: number
  // The least time between two redraws on a terminal.
  redrawMs?: number
}

export function createProgressReporter(options: ReporterOptions): ProgressReporter {
  const { total, tty, write, now = Date.now, width, redrawMs = 100 } = options
  const start = now()
  let lastDraw = Number.NEGATIVE_INFINITY
  let lastTenth = 0
  let drawnLength = 0
  const line = (rows: number) => renderProgress({ rows, total, elapsedMs: now() - start, width })
  const redraw = (text: string) => {
    write(`\r${text.padEnd(drawnLength)}`)
    drawnLength = text.length
  }
  return {
    update(rows) {
      if (tty) {
        const time = now()
        if (time - lastDraw < redrawMs) return
        lastDraw = time
        redraw(line(rows))
        return
      }
      const tenth = total > 0 ? Math.min(10, Math.floor((rows * 10) / total)) : 0
      if (tenth > lastTenth && tenth < 10) {
        lastTenth = tenth
        write(`${line(rows)}\n`)
      }
    },
    finish(rows) {
      const text = renderProgress({
        rows,
        total: Math.max(total, rows),
        elapsedMs: now() - start,
        width,
      })
      if (tty) {
        redraw(text)
        write('\n')
      } else {
        write(`${text}\n`)
      }
      drawnLength = 0
    },
    abort() {
      if (tty && drawnLength > 0) write('\n')
      drawnLength = 0
    },
  }
}

export interface ImportSummary {
  rows: number
  owner: string
  slug: string
  elapsedMs: number
}

// `Imported 1,000,000 rows into demo/some-table in 3.2 s (312,000 rows/s)`
export function formatSummary({ rows, owner, slug, elapsedMs }: ImportSummary): string {
  const rate = formatRate(rows, elapsedMs)
  return `Imported ${plural(rows, 'row')} into ${owner}/${slug} in ${formatElapsed(elapsedMs)} (${rate})`
}

export interface FailureDetails {
  line: number | null
  column: string | null
  reason: string
}

// `Import failed at line N, column "x": reason. Nothing was imported.`
export function formatFailure({ line, column, reason }: FailureDetails): string {
  const at = line === null ? '' : ` at line ${formatCount(line)}`
  const where = column === null ? at : `${at}${at ? ',' : ' in'} column "${column}"`
  const because = reason.trim().replace(/\.+$/, '')
  return `Import failed${where}: ${because}. Nothing was imported.`
}

// Left-aligned columns two spaces apart; the first row is the heading.
export function formatTable(rows: readonly (readonly string[])[], indent = '  '): string {
  const widths: number[] = []
  for (const row of rows) {
    row.forEach((cell, index) => {
      widths[index] = Math.max(widths[index] ?? 0, cell.length)
    })
  }
  return rows
    .map(
      (row) =>
        indent +
        row
          .map((cell, index) => cell.padEnd(widths[index] ?? 0))
          .join('  ')
          .trimEnd(),
    )
    .join('\n')
}
