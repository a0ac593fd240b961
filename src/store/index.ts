// The access-code lifecycle's words, declared in src/core/access/lifecycle.ts, offered here too
// so importers of the store need no second import.
export {
  ACCESS_CODE_ERRORS,
  type AccessCodeError,
  LOCK_SLOT_STATUSES,
  type LockSlotStatus,
  SLOT_STATUSES,
  type SlotStatus,
} from '../core/access/lifecycle.js';
export type { AuditProblem, AuditReport } from './audit.js';
export type { CredentialEdit } from './credential-edit.js';
export type { Credential, CredentialInput, LockRejection } from './credentials.js';
export { dataDir, type StoreLocation } from './data-dir.js';
export type { LockSlotView, LockView } from './lock-view.js';
export type { Lock, Person, Site } from './register.js';
export { DRIVERS } from './register.js';
export { parseSecretKey } from './secrets.js';
export type { Status } from './status.js';
export { openStore, Store, type StoreOptions } from './store.js';
export { ROLES, type Role } from './tokens.js';
