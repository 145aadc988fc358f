import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['tests/**/*.test.ts'],
    testTimeout: 30_000,
    hookTimeout: 30_000,
    // REDIS_URL for every worker: the one set, else the local default, else a private redis-server.
    globalSetup: ['./tests/support/redis-global-setup.ts'],
    // Integration tests share one Redis (each under its own prefix) and spawn processes: two cores.
    maxWorkers: 2,
    reporters: ['default', './tests/support/summary-line-reporter.ts'],
  },
});
