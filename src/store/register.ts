/**
 * The register's sites, locks and people, each in a module of its own; credentials are in
 * credentials.ts. Importers of the register take them from here.
 */
export * from './locks.js';
export * from './people.js';
export * from './sites.js';
