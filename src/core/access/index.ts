export * from './lifecycle.js';
export * from './policies.js';
export * from './schedule.js';
export * from './slots.js';
export * from './time.js';
export * from './zone.js';
