// The limits and quotas read from the environment: rate limits, tables per user, uploads waiting.
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import * as v from 'valibot'
import { parseRateRule, type RateRule } from './lib/rate-rule.js'

const countSchema = (max: number) =>
  v.pipe(
    v.string(),
    v.regex(/^\d+$/, 'must be a whole number'),
    v.transform(Number),
    v.minValue(1, 'must be at least 1'),
    v.maxValue(max, `must be at most ${max}`),
  )

const rateSchema = v.pipe(
  v.string(),
  v.transform(parseRateRule),
  v.check((rule) => rule !== 'invalid', 'must be like 30/10m (requests per window) or off'),
  v.transform((rule) => rule as RateRule | null),
)

export const LimitsEnvSchema = v.object({
  MAX_TABLES_PER_USER: v.optional(countSchema(1_000_000), '500'),
  MAX_PENDING_UPLOADS: v.optional(countSchema(1000), '3'),
  MAX_PENDING_UPLOAD_MB: v.optional(countSchema(1_000_000), '400'),
  UPLOAD_DIR: v.optional(v.pipe(v.string(), v.nonEmpty())),
  RATE_LIMIT_SIGN_IN: v.optional(rateSchema, '30/10m'),
  RATE_LIMIT_IMPORTS: v.optional(rateSchema, '30/1h'),
  RATE_LIMIT_EXPORTS: v.optional(rateSchema, '30/10m'),
  RATE_LIMIT_SEARCHES: v.optional(rateSchema, '120/1m'),
  RATE_LIMIT_UPLOADS: v.optional(rateSchema, '60/10m'),
  RATE_LIMIT_API_TOKEN: v.optional(rateSchema, '600/1m'),
  RATE_LIMIT_API_ADDRESS: v.optional(rateSchema, '120/1m'),
})

export interface RateLimits {
  // Per address: starting a sign-in and GitHub's callback each count one.
  signIn: RateRule | null
  // Per user: each upload, and each import of a reviewed upload.
  imports: RateRule | null
  // Per user, or per address when signed out.
  exports: RateRule | null
  // Table pages (and their JSON) with a search term, per user or address.
  searches: RateRule | null
  // Per user: files uploaded into File and Image cells from the row form.
  uploads: RateRule | null
  // API requests: per token, and per address for requests without one.
  apiToken: RateRule | null
  apiAddress: RateRule | null
}

export interface LimitsConfig {
  maxTablesPerUser: number
  maxPendingUploads: number
  maxPendingUploadBytes: number
  uploadDir: string
  rateLimits: RateLimits
}

export function readLimits(e: v.InferOutput<typeof LimitsEnvSchema>): LimitsConfig {
  return {
    maxTablesPerUser: e.MAX_TABLES_PER_USER,
    maxPendingUploads: e.MAX_PENDING_UPLOADS,
    maxPendingUploadBytes: e.MAX_PENDING_UPLOAD_MB * 1024 * 1024,
    uploadDir: e.UPLOAD_DIR ?? join(tmpdir(), 'hostedapi-uploads'),
    rateLimits: {
      signIn: e.RATE_LIMIT_SIGN_IN,
      imports: e.RATE_LIMIT_IMPORTS,
      exports: e.RATE_LIMIT_EXPORTS,
      searches: e.RATE_LIMIT_SEARCHES,
      uploads: e.RATE_LIMIT_UPLOADS,
      apiToken: e.RATE_LIMIT_API_TOKEN,
      apiAddress: e.RATE_LIMIT_API_ADDRESS,
    },
  }
}
