import type { ModelProfile } from '../core/catalog/types.js';
import { samePresses } from '../core/codes/keypad.js';
import type { Intent, LockSyncPicture, ReportedSlot } from '../store/sync-state.js';
import type { AssignmentPatch } from '../store/sync-writes.js';
import type { SyncPolicy } from './lock-plan.js';
import { type Effects, effects } from './runtime.js';

/**
 * Learning what one slot holds: what the lock says is the truth, and the register is squared with
 * it. Pure: the writes come back as data, with what was found (for the audit row, never the code).
 */
export interface SlotReading {
  p: LockSyncPicture;
  model: ModelProfile;
  policy: SyncPolicy;
  slot: number;
  /** What the lock holds: a code, null (occupied, masked), undefined (empty). */
  truth: string | null | undefined;
  known: ReportedSlot | undefined;
  /** read: every slot read at once; intent: an op's unknown outcome; keypad: a keypad edit checked. */
  why: 'read' | 'intent' | 'keypad';
  intent?: Intent | undefined;
}

export type SlotOutcome =
  | 'empty'
  | 'emptied'
  | 'deleted'
  | 'emptied-at-keypad'
  | 'masked'
  | 'unchanged'
  | 'ours'
  | 'adopted'
  | 'changed-at-keypad'
  | 'unmanaged';

export function learnSlot(r: SlotReading): { outcome: SlotOutcome } & Effects {
  const { p, model, slot, truth, known, why, intent } = r;
  const out = effects();
  const status = (credentialId: string, patch: AssignmentPatch) =>
    out.writes.push({ kind: 'assignment', credentialId, lockId: p.lockId, patch });
  const reported = (
    w: { code: string | null; credentialId: string | null; unmanaged: boolean; error?: string | null },
    remember?: string | null,
  ) =>
    out.writes.push({
      kind: 'slot-reported',
      lockId: p.lockId,
      model: p.model,
      slot,
      ...w,
      remember: remember ?? null,
    });
  const find = (id: string | null | undefined) => p.assignments.find((a) => a.credentialId === id);
  const outcome = ((): SlotOutcome => {
    if (truth === undefined) {
      if (!known) return 'empty';
      // It was there and is gone: our delete landed, or someone cleared it at the keypad.
      out.writes.push({ kind: 'slot-cleared', lockId: p.lockId, model: p.model, slot, remember: known.code });
      const a = find(known.credentialId);
      if (!a) return 'emptied';
      const ours = intent?.kind === 'delete';
      if (a.status === 'removing') status(a.credentialId, { status: 'removed', error: null });
      else status(a.credentialId, { status: 'unset', error: ours ? null : 'modified_at_keypad' });
      return ours ? 'deleted' : 'emptied-at-keypad';
    }
    if (truth === null) {
      // Masked read-back: occupied, code unknown. Keep what we knew.
      if (!known) reported({ code: null, credentialId: null, unmanaged: true });
      return 'masked';
    }
    const assigned = p.assignments.find(
      (a) => a.slot === slot && a.status !== 'removed' && samePresses(a.code, truth, model),
    );
    // The lock said this code was added at the keypad, but a read (first contact, while the
    // notification was on its way) already took it for one that was there before Keyward: it
    // is a keypad edit, and the keypad policy, not the unmanaged one, decides its fate.
    const keypadAfterRead =
      intent?.kind === 'keypad-added' && known?.unmanaged === true && known.error === null && !assigned;
    if (
      known?.code === truth &&
      !keypadAfterRead &&
      (!assigned || known.credentialId === assigned.credentialId)
    ) {
      if (assigned && intent?.kind === 'add' && intent.credentialId === assigned.credentialId)
        status(assigned.credentialId, { status: 'set', error: null });
      return 'unchanged';
    }
    const remember = known?.code && known.code !== truth ? known.code : null;
    if (assigned) {
      // The code we want there is there: our write landed (or it was there all along).
      reported({ code: truth, credentialId: assigned.credentialId, unmanaged: false }, remember);
      status(assigned.credentialId, { status: 'set', error: null });
      if (known?.credentialId && known.credentialId !== assigned.credentialId)
        status(known.credentialId, { status: 'removed', error: null });
      return 'ours';
    }
    // A code Keyward did not put there: at the keypad, or there before Keyward.
    const keypad = why !== 'read' || p.readAt !== null;
    const displaced = find(known?.credentialId);
    const adopt = keypad ? r.policy.keypadEdits === 'adopt' : r.policy.unmanaged === 'adopt';
    if (displaced) {
      const leaving = displaced.status === 'removing';
      status(
        displaced.credentialId,
        leaving
          ? { status: 'removed', error: null }
          : adopt
            ? { status: 'removed', error: 'modified_at_keypad' }
            : { status: 'unset', error: 'modified_at_keypad' },
      );
    }
    if (adopt) {
      out.writes.push({
        kind: 'credential-adopted',
        lockId: p.lockId,
        model: p.model,
        slot,
        code: truth,
        name: keypad ? `Added at the keypad (slot ${slot})` : `Found in slot ${slot}`,
        remember,
      });
      out.events.push({
        type: 'code-adopted',
        lockId: p.lockId,
        slot,
        credentialId: null,
        why: keypad ? 'keypad' : 'found',
      });
      return 'adopted';
    }
    reported(
      { code: truth, credentialId: null, unmanaged: true, error: keypad ? 'modified_at_keypad' : null },
      remember,
    );
    return keypad ? 'changed-at-keypad' : 'unmanaged';
  })();
  // An add that did not land goes back to waiting; the pass plans it again. A code revoked while
  // its add was in flight ("removing") never reached the lock: it is done with, not waiting
  // (left "unset", nothing would ever move it again and the code would never count as cleared).
  const notLanded = (id: string) =>
    status(id, find(id)?.status === 'removing' ? { status: 'removed', error: null } : { status: 'unset' });
  if (intent?.kind === 'add' && intent.credentialId && outcome !== 'ours' && outcome !== 'unchanged') {
    const a = find(intent.credentialId);
    if (a && a.slot === slot) notLanded(a.credentialId);
  }
  if (
    intent?.kind === 'add' &&
    intent.credentialId &&
    outcome === 'unchanged' &&
    known?.credentialId !== intent.credentialId
  ) {
    notLanded(intent.credentialId);
  }
  if (intent?.kind === 'delete' && intent.credentialId && outcome === 'empty') {
    const a = find(intent.credentialId);
    if (a?.status === 'removing') status(a.credentialId, { status: 'removed', error: null });
  }
  return { outcome, ...out };
}
