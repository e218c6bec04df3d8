import { defineConfig } from 'vitest/config'

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts'],
    // Each file opens its own database (PGlite takes a few seconds to start).
    testTimeout: 30_000,
    hookTimeout: 60_000,
    maxWorkers: 2,
    coverage: {
      provider: 'v8',
      include: ['src/**/*.ts'],
      // Entry points only wire things together; everything they call is tested.
      exclude: ['src/**/*.test.ts', 'src/test/**', 'src/main.ts', 'src/cli/**', 'src/bench/**'],
      thresholds: { lines: 95, branches: 95 },
      reporter: ['text-summary', 'html'],
    },
  },
})
