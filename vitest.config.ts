import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    testTimeout: 30_000,
    hookTimeout: 30_000,
    pool: 'forks',
    // One file at a time: several suites start real servers and child processes and one measures
    // peak memory; on a 2-core machine running them side by side makes timings and memory noisy.
    fileParallelism: false,
  },
});
