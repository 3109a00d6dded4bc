import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // Forks, not threads: PGlite (WASM) and native Temporal bindings are happier in processes.
    pool: 'forks',
    testTimeout: 60_000,
    hookTimeout: 120_000,
    // Bundles the workflows and starts one Temporal dev server for the whole run (test/support).
    globalSetup: ['test/support/globalSetup.ts'],
  },
});
