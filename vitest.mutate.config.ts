import { defineConfig } from 'vitest/config';

// The tests that cover what `npm run mutate` mutates (stryker.config.mjs), and only those, so a
// run fits in about half an hour on one core. Multi-process and browser suites run `dist/`, which
// Stryker does not mutate, so they are left out.
export default defineConfig({
  test: {
    include: [
      'src/core/codes/*.test.ts',
      'src/core/access/*.test.ts',
      'src/server/auth.test.ts',
      'src/sync/*.test.ts',
      'src/sync/zwave/*.test.ts',
      'test/twin-agrees-with-rules.test.ts',
      'test/store/audit*.test.ts',
      'test/store/store.test.ts',
      'test/server-api.test.ts',
      'test/sync-reconciler.test.ts',
      'test/sync-faults.test.ts',
      'test/sync-programming.test.ts',
      'test/zwave-driver.test.ts',
    ],
    // Instrumented code runs several times slower than the plain build.
    testTimeout: 240_000,
    setupFiles: ['test/setup-fast-check.ts'],
    env: { FC_SEED: '20261127' },
  },
});
