import type { Store } from '../store/index.js';

export interface SyncHandle {
  /** Whether a reconciler runs in this process. */
  running: boolean;
  /** Why not, when it does not. */
  note: string | null;
  nudge(lockIds: readonly string[]): void;
  stop(): Promise<void>;
}

/**
 * The reconciler of src/sync drives desired codes onto locks. Until it is part of the tree the
 * server runs without it and says so: codes stay "unset" and the register is still usable.
 */
export function startSync(store: Store | null): SyncHandle {
  return {
    running: false,
    note: store
      ? 'the reconciler (src/sync) is not available in this build: codes are registered but not sent to locks'
      : 'disabled',
    nudge: () => {},
    stop: async () => {},
  };
}
