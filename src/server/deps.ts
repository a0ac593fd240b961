import type { Store } from '../store/index.js';
import type { Authenticator } from './auth.js';

/** What the routes work with; a request acting for a token uses `storeFor` so the audit log names it. */
export interface ServerDeps {
  store: Store;
  auth: Authenticator;
  storeFor(principal: { tokenId: string } | null): Store;
  /** Tells the reconciler, if one runs here, that a lock's desired state changed. */
  nudge(lockIds: readonly string[]): void;
  now(): number;
}
