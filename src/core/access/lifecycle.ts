/**
 * The access-code lifecycle, declared once: the register, the reconciler, the API schemas and
 * the web UI all speak these words. Each credential moves through these statuses on each of its
 * locks; an error says why it is stuck, and is cleared when the lock confirms.
 */
export const SLOT_STATUSES = ['unset', 'setting', 'set', 'removing', 'removed'] as const;
export type SlotStatus = (typeof SLOT_STATUSES)[number];

/**
 * A lock's slot as the lock view shows it: a credential's status there, or a code the register
 * did not put there (keyed in at the lock, or there before Keyward).
 */
export const LOCK_SLOT_STATUSES = [...SLOT_STATUSES, 'unmanaged'] as const;
export type LockSlotStatus = (typeof LOCK_SLOT_STATUSES)[number];

export const ACCESS_CODE_ERRORS = [
  'duplicate_on_device',
  'no_free_slot',
  'prefix_reserved',
  'failed_to_set',
  'failed_to_remove',
  'modified_at_keypad',
  'unconfirmed',
] as const;
export type AccessCodeError = (typeof ACCESS_CODE_ERRORS)[number];

/** What a person reads for each status (web UI, CLI). */
export const LOCK_SLOT_STATUS_LABELS: Readonly<Record<LockSlotStatus, string>> = {
  unset: 'waiting to be set',
  setting: 'setting…',
  set: 'set',
  removing: 'removing…',
  removed: 'removed',
  unmanaged: 'unmanaged: not put there by Keyward',
};

/** What a person reads for each error: what the lock did, in plain words. */
export const ACCESS_CODE_ERROR_LABELS: Readonly<Record<AccessCodeError, string>> = {
  duplicate_on_device: 'the lock already holds this code, or one starting with the same digits',
  no_free_slot: 'every slot of the lock is taken',
  prefix_reserved: 'the lock remembers a deleted code starting with the same digits and refuses this one',
  failed_to_set: 'the lock did not take the code (retrying)',
  failed_to_remove: 'the lock did not remove the code (retrying)',
  modified_at_keypad: 'changed at the keypad',
  unconfirmed: 'sent, but the lock has not confirmed it yet',
};

/** The label for a stored status or error; a word this version does not know is shown as it is. */
export function lifecycleLabel(word: string): string {
  return (
    (LOCK_SLOT_STATUS_LABELS as Record<string, string>)[word] ??
    (ACCESS_CODE_ERROR_LABELS as Record<string, string>)[word] ??
    word.replace(/_/g, ' ')
  );
}
