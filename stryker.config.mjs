// Mutation testing of the parts whose tests must catch a plausible bug: the pure core, the audit
// chain, authentication and the lock drivers' write confirmation (issue 14 §6). Not in CI: a run
// takes about half an hour on one core. `npm run mutate`; the report lands in reports/mutation/.
/** @type {import('@stryker-mutator/api/core').PartialStrykerOptions} */
export default {
  testRunner: 'vitest',
  vitest: { configFile: 'vitest.mutate.config.ts', related: false },
  coverageAnalysis: 'perTest',
  // Two cores shared with other work: one mutant at a time.
  concurrency: 1,
  // The core's rules, schedules, planner and twin; diagnosis, guides and hygiene advice are left
  // out to keep a run near half an hour on one core (add them with --mutate when there is time).
  mutate: [
    'src/core/codes/*.ts',
    'src/core/access/*.ts',
    'src/core/plan/*.ts',
    'src/core/twin/*.ts',
    'src/core/errors.ts',
    'src/core/ports.ts',
    // Data and prose, not logic: a changed table or sentence is a different catalog, not a bug a
    // test of behaviour should catch.
    '!src/core/**/*.test.ts',
    '!src/core/**/index.ts',
    '!src/core/**/types.ts',
    '!src/core/codes/common-pins.ts',
    'src/store/audit.ts',
    'src/server/auth.ts',
    'src/store/tokens.ts',
    'src/sync/verify.ts',
    'src/sync/zwave/write-confirm.ts',
  ],
  // Module-level constants would need every test for each mutant; the tables they hold are data.
  ignoreStatic: true,
  ignorePatterns: ['dist', 'web/dist', 'reports', '.keyward-data', 'bench', 'test-output'],
  timeoutMS: 20_000,
  dryRunTimeoutMinutes: 30,
  timeoutFactor: 2,
  thresholds: { high: 95, low: 90, break: null },
  reporters: ['clear-text', 'progress-append-only', 'html', 'json'],
  htmlReporter: { fileName: 'reports/mutation/index.html' },
  jsonReporter: { fileName: 'reports/mutation/mutation.json' },
  tempDirName: '.stryker-tmp',
  cleanTempDir: true,
  // A second run retests only the mutants whose code or covering tests changed.
  incremental: true,
  incrementalFile: 'reports/stryker-incremental.json',
};
