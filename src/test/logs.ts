// A logger that keeps its lines in memory, parsed, for tests that assert what was logged.
import { createLogger, type LogLevel } from '../log.js'

export type LogLine = Record<string, unknown> & { level: string; msg: string }

export function memoryLogger(level: LogLevel = 'info') {
  const lines: LogLine[] = []
  const logger = createLogger(level, { write: (line: string) => lines.push(JSON.parse(line)) })
  return { logger, lines }
}
