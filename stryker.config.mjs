// Mutation testing of the parts whose tests must catch a plausible bug: the pure core, the audit
// chain, authentication and the lock drivers' write confirmation (issue 14 §6). Not in CI: a run
// takes about half an hour on one core. `npm run mutate`; the report lands in reports/mutation/.
/**
 * KEYWARD_MUTATE_PART=auth|codes|drivers runs one part (its report: reports/mutation/<part>.*),
 * so a part's figures are in hand even when there is no time for the whole run.
 */
const PARTS = {
  auth: [
    'src/store/audit.ts',
    'src/server/auth.ts',
    'src/server/auth-throttle.ts',
    'src/server/auth-address.ts',
    'src/server/auth-cookie.ts',
    'src/store/tokens.ts',
    'src/store/sign-in-attempts.ts',
  ],
  codes: [
    'src/core/codes/generator.ts',
    'src/core/codes/rules.ts',
    'src/core/codes/keypad.ts',
    'src/core/codes/prefix-space.ts',
    'src/core/codes/lock-survey.ts',
    'src/core/access/time.ts',
    'src/core/access/schedule.ts',
    'src/core/access/lifecycle.ts',
  ],
  drivers: ['src/sync/verify.ts', 'src/sync/zwave/write-confirm.ts'],
};
const part = process.env.KEYWARD_MUTATE_PART;
if (part !== undefined && !(part in PARTS)) throw new Error(`KEYWARD_MUTATE_PART: one of ${Object.keys(PARTS)}`);
const name = part ?? 'all';

/** @type {import('@stryker-mutator/api/core').PartialStrykerOptions} */
export default {
  testRunner: 'vitest',
  vitest: { configFile: 'vitest.mutate.config.ts', related: false },
  coverageAnalysis: 'perTest',
  // Two cores shared with other work: one mutant at a time.
  concurrency: 1,
  // The code rules and the generator, times and schedules, the audit chain, authentication and
  // the drivers' write confirmation. The rest of the core (twin, planner, diagnosis, guides,
  // hygiene advice) is left out so that a run ends within the hour on one shared core: their
  // tests are mostly properties of thousands of runs each, which every surviving mutant re-runs.
  mutate: part ? PARTS[part] : Object.values(PARTS).flat(),
  // Module-level constants would need every test for each mutant; the tables they hold are data.
  ignoreStatic: true,
  ignorePatterns: ['dist', 'web/dist', 'reports', '.keyward-data', 'bench', 'test-output'],
  timeoutMS: 20_000,
  dryRunTimeoutMinutes: 30,
  timeoutFactor: 2,
  thresholds: { high: 95, low: 90, break: null },
  reporters: ['clear-text', 'progress-append-only', 'html', 'json'],
  htmlReporter: { fileName: `reports/mutation/${name}.html` },
  jsonReporter: { fileName: `reports/mutation/${name}.json` },
  tempDirName: `.stryker-tmp/${name}`,
  cleanTempDir: true,
  // A second run retests only the mutants whose code or covering tests changed.
  incremental: true,
  incrementalFile: `reports/stryker-incremental-${name}.json`,
};
