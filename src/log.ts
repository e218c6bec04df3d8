// The process's one logger (pino): JSON lines on stdout, which Heroku's log router collects.
import { type DestinationStream, type Logger, pino } from 'pino'

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'silent'] as const
export type LogLevel = (typeof LOG_LEVELS)[number]

export function createLogger(level: LogLevel, destination?: DestinationStream): Logger {
  return pino(
    {
      level,
      // Heroku prefixes each line with the dyno's name, so the host name would only repeat it.
      base: { pid: process.pid },
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: { level: (label) => ({ level: label }) },
    },
    destination,
  )
}

// Quiet under the test runner unless a test asks for lines; main.ts sets the configured level.
export const log: Logger = createLogger(process.env.VITEST ? 'silent' : 'info')
