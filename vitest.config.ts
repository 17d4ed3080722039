import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    environment: 'node',
    pool: 'forks',
    // Embedded servers and the morphological dictionary make some suites slow to start.
    testTimeout: 60_000,
    hookTimeout: 60_000,
    setupFiles: ['test/support/setup-env.ts'],
  },
});
