export { acceptsProgrammingCode, acceptsUserCode, slotOpenedBy } from './acceptance.js';
export { finalState, modeName, runEnd, runInputs, type Trace, type TraceLine } from './run.js';
export { parseInput, parseScript } from './script.js';
export { createTwin, DELETE_ALL_HOLD_MS, RESET_HOLD_MS, step } from './step.js';
export type * from './types.js';
