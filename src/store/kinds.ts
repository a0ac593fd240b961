/**
 * The register's closed vocabularies, in a module without I/O so that API schemas (and through
 * them the web UI's types) can name them without loading the store.
 */

/** How a lock is reached. */
export const DRIVERS = ['sim', 'manual', 'zwave', 'zwave-server', 'zigbee2mqtt'] as const;
export type DriverKind = (typeof DRIVERS)[number];

/** What an API token may do, least to most: viewer reads, manager changes codes, admin all. */
export const ROLES = ['admin', 'manager', 'viewer'] as const;
export type Role = (typeof ROLES)[number];

/**
 * What `audit verify` finds wrong: a row changed, removed or moved, or the head of the log
 * missing or forged (the end cut off, or the whole log wiped).
 */
export const AUDIT_PROBLEMS = ['changed', 'removed', 'reordered', 'head'] as const;
export type AuditProblemKind = (typeof AUDIT_PROBLEMS)[number];
