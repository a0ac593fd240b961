import { getModel } from '../core/catalog/index.js';
import { FRESH_VOLTS_PER_CELL, type LockState } from '../core/codes/lock-state.js';
import type { StateField } from '../core/diagnose/index.js';
import { KeywardError } from '../core/errors.js';
import type { Store } from '../store/index.js';
import { loadLockPicture } from '../store/sync-state.js';

/** What the troubleshooting assistant knows of one lock in the register, as the answer says it. */
export interface BasedOn {
  lockId: string;
  lockName: string;
  /** Codes Keyward knows are on the lock (its slots as last read, or as the register set them). */
  codes: number;
  /** Deleted codes the lock still remembers (the models with that memory). */
  deleted: number;
  programmingCode: 'known' | 'unknown' | 'none';
  voltsPerCell: number | null;
  /** What Keyward cannot know of this lock, so the causes allow for it. */
  unknown: StateField[];
}

export interface LockKnowledge {
  state: LockState;
  unknown: StateField[];
  /** Each stored code with whose it is, to name instead of its digits. */
  named: { code: string; label: string }[];
  basedOn: BasedOn;
}

/**
 * The lock state a diagnosis of a registered lock rests on: its slots as last read (or, where a
 * read-back is masked, as the register set them), its deleted-code memory, its programming code
 * and its battery; what Keyward cannot know (a keypad-only lock's own edits, a programming code
 * never given, a battery never read) is marked unknown instead of guessed.
 */
export async function lockKnowledge(store: Store, lockId: string): Promise<LockKnowledge> {
  const [lock, p] = await Promise.all([store.getLock(lockId), loadLockPicture(store.ctx, lockId)]);
  if (!p) throw new KeywardError('NOT_FOUND', `lock ${lockId} not found`);
  const model = getModel(lock.model);
  const unknown = new Set<StateField>();
  const slots: Record<string, string> = {};
  const named: LockKnowledge['named'] = [];
  const holder = new Map(p.assignments.map((a) => [a.slot, a]));
  for (const r of p.reported.values()) {
    const code = r.code ?? (holder.get(r.slot)?.status === 'set' ? holder.get(r.slot)!.code : null);
    if (code === null) unknown.add('slots');
    else slots[String(r.slot)] = code;
  }
  // Never read back (or keypad-only): what the register has confirmed is what is known.
  if (p.reported.size === 0) {
    for (const a of p.assignments) if (a.status === 'set') slots[String(a.slot)] = a.code;
    if (p.readAt === null) unknown.add('slots');
  }
  for (const a of p.assignments) {
    if (slots[String(a.slot)] === a.code) named.push({ code: a.code, label: `${a.name}’s code` });
  }
  for (const [slot, code] of Object.entries(slots)) {
    if (!named.some((n) => n.code === code)) named.push({ code, label: `the code in slot ${slot}` });
  }
  // Codes typed in at a keypad-only lock never reach the register, nor do its deletions.
  if (lock.driver === 'manual') {
    unknown.add('slots');
    unknown.add('deleted');
  }
  const pc = model.programmingCode;
  if (pc && p.programmingCode === null) unknown.add('programmingCode');
  if (p.programmingCode) named.push({ code: p.programmingCode, label: 'the programming code' });
  for (const d of p.deleted) named.push({ code: d, label: 'a deleted code' });
  if (lock.voltsPerCell === null) unknown.add('voltsPerCell');
  if (model.quirks.programmingSwitch) unknown.add('programmingSwitch');
  const state: LockState = {
    model: model.id,
    programmingCode: p.programmingCode ?? pc?.default ?? null,
    slots,
    deleted: [...p.deleted],
    voltsPerCell: lock.voltsPerCell ?? FRESH_VOLTS_PER_CELL,
    programmingSwitch: true,
  };
  const list = [...unknown];
  return {
    state,
    unknown: list,
    named,
    basedOn: {
      lockId,
      lockName: lock.name,
      codes: Object.keys(slots).length,
      deleted: p.deleted.length,
      programmingCode: pc === null ? 'none' : p.programmingCode === null ? 'unknown' : 'known',
      voltsPerCell: lock.voltsPerCell,
      unknown: list,
    },
  };
}
