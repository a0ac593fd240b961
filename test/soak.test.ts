import { describe, expect, it } from 'vitest';
import { soak } from './soak-engine.js';
import { DIALECTS, type DialectName } from './store/dialects.js';

/**
 * The crash suite (issue 14 §5): `keyward serve` killed with SIGKILL at random moments of
 * creation, revocation and reconciliation, on both dialects. CI runs a few trials with a fixed
 * seed; `npm run soak` runs 50 (scripts/soak.mjs sets the environment read here). Runs `dist/`:
 * `npm run build` first.
 */
const env = process.env;
const TRIALS = Number(env.KEYWARD_SOAK_TRIALS ?? 2);
const SEED = Number(env.KEYWARD_SOAK_SEED ?? 20261205);
const WANTED = (env.KEYWARD_SOAK_DIALECTS?.split(',') ?? DIALECTS) as DialectName[];

describe.each(WANTED.filter((d) => DIALECTS.includes(d)))(
  'keyward serve killed at random moments (%s)',
  (dialect) => {
    it(
      'loses nothing it answered 2xx, applies nothing twice, and keeps the audit chain whole',
      async () => {
        const report = await soak({ dialect, trials: TRIALS, seed: SEED, log: (line) => console.log(line) });
        console.log(
          `soak ${dialect}: seed ${report.seed}, ${report.trials} kills in ${report.ms} ms; ${report.created} creations and ${report.revoked} revocations answered 2xx, ${report.cutOff} cut off; ${report.losses.length} losses`,
        );
        expect(report.losses).toEqual([]);
        expect(report.created).toBeGreaterThan(0);
      },
      Math.max(300_000, TRIALS * 90_000),
    );
  },
);
