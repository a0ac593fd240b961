export { diagnose } from './diagnose.js';
export * from './types.js';
