export { buildGuide, SAFETY } from './build.js';
export { fixFor } from './fixes.js';
export * from './types.js';
export { describeSignals, keyName, spaced } from './words.js';
