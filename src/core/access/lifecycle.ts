/**
 * The access-code lifecycle, declared once: the register, the reconciler, the API schemas and
 * the web UI all speak these words. Each credential moves through these statuses on each of its
 * locks; an error says why it is stuck, and is cleared when the lock confirms.
 */
export const SLOT_STATUSES = ['unset', 'setting', 'set', 'removing', 'removed'] as const;
export type SlotStatus = (typeof SLOT_STATUSES)[number];

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
