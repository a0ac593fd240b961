import { defineConfig } from 'vitest/config';

// The tests that cover what `npm run mutate` mutates (stryker.config.mjs), and only those, so a
// run fits on one shared core; KEYWARD_MUTATE_PART narrows them to one part's. Multi-process and
// browser suites run `dist/`, which Stryker does not mutate, so they are left out.
const TESTS: Record<string, string[]> = {
  auth: [
    'src/server/auth*.test.ts',
    'test/store/audit*.test.ts',
    'test/store/api-tokens.test.ts',
    'test/store/sign-in-attempts.test.ts',
    'test/store/store.test.ts',
    'test/server-api.test.ts',
    'test/server-auth-throttle.test.ts',
    'test/server-auth-signin.test.ts',
  ],
  codes: ['src/core/codes/*.test.ts', 'src/core/access/*.test.ts', 'test/twin-agrees-with-rules.test.ts'],
  drivers: [
    'src/sync/*.test.ts',
    'src/sync/zwave/*.test.ts',
    'test/sync-reconciler.test.ts',
    'test/sync-faults.test.ts',
    'test/sync-programming.test.ts',
    'test/zwave-driver.test.ts',
  ],
};
const part = process.env.KEYWARD_MUTATE_PART;

export default defineConfig({
  test: {
    include: part ? (TESTS[part] ?? []) : Object.values(TESTS).flat(),
    // Instrumented code runs several times slower than the plain build.
    testTimeout: 240_000,
    setupFiles: ['test/setup-fast-check.ts'],
    // SQLite only: PostgreSQL's per-test databases would multiply the run time; the same code paths
    // run on both dialects (one kysely path), and the full suite keeps the PostgreSQL half.
    env: { FC_SEED: '20261127', KEYWARD_TEST_PG_URL: 'postgres://nobody@127.0.0.1:1/none' },
  },
});
