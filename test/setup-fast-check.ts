import fc from 'fast-check';

// CI replays one fixed seed so a green run stays green; locally every run explores new cases.
// Reproduce a CI run with FC_SEED=20261127 npm test.
const seed = process.env.FC_SEED ?? (process.env.CI === 'true' ? '20261127' : undefined);
if (seed !== undefined) fc.configureGlobal({ seed: Number(seed) });
