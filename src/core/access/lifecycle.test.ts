import { describe, expect, it } from 'vitest';
import {
  ACCESS_CODE_ERROR_LABELS,
  ACCESS_CODE_ERRORS,
  LOCK_SLOT_STATUS_LABELS,
  LOCK_SLOT_STATUSES,
  lifecycleLabel,
  SLOT_STATUSES,
} from './lifecycle.js';

describe('the access-code lifecycle words', () => {
  it('gives every status and every error a label in plain words, none a copy of the code word', () => {
    for (const s of LOCK_SLOT_STATUSES) expect(lifecycleLabel(s)).toBe(LOCK_SLOT_STATUS_LABELS[s]);
    for (const e of ACCESS_CODE_ERRORS) {
      expect(lifecycleLabel(e)).toBe(ACCESS_CODE_ERROR_LABELS[e]);
      expect(ACCESS_CODE_ERROR_LABELS[e]).not.toContain('_');
    }
  });

  it('knows a lock slot status for every credential status, plus unmanaged', () => {
    expect(LOCK_SLOT_STATUSES).toEqual([...SLOT_STATUSES, 'unmanaged']);
  });

  it('shows a word it does not know as it is, without underscores', () => {
    expect(lifecycleLabel('some_new_error')).toBe('some new error');
  });
});
