export type { AuditProblem, AuditReport } from './audit.js';
export type { Credential, CredentialInput, LockRejection } from './credentials.js';
export { dataDir } from './data-dir.js';
export type { Lock, Person, Site } from './register.js';
export { DRIVERS } from './register.js';
export { parseSecretKey } from './secrets.js';
export type { Status } from './status.js';
export { openStore, Store, type StoreOptions } from './store.js';
