/**
 * What sync keeps beside the register, read and written through the store: one lock's picture
 * (sync-picture.ts), the reads sync makes (sync-queries.ts) and the writes, as data applied by
 * one function (sync-writes.ts). The tables are migration 0005's; their types are in schema.ts.
 */
export * from './sync-picture.js';
export * from './sync-queries.js';
export * from './sync-writes.js';
