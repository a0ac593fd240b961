import { z } from 'zod';
import { readTime } from '../core/access/time.js';
import { getModel } from '../core/catalog/index.js';
import { type LockState, parseLockState } from '../core/codes/lock-state.js';

/** Record ids are short prefixed random strings; anything else is refused before the database. */
export const Id = z
  .string()
  .min(1)
  .max(64)
  .regex(/^[A-Za-z0-9_-]+$/, 'must be a record id such as lock_Ab3...');

export const IdParams = z.object({ id: Id });

/** Times follow the one rule of src/core/access/time.ts (ms since 1970, or ISO 8601 with a zone, 2000-2199). */
export const Time = z.union([z.number(), z.string()]).transform((v, ctx) => {
  const r = readTime(v);
  if (r.ok) return r.t;
  ctx.addIssue({ code: 'custom', message: r.message });
  return z.NEVER;
});

/** Weekly hours: days 0 (Sunday) to 6, minutes from local midnight (the store checks the rest). */
export const Window = z.object({
  days: z.array(z.number().int().min(0).max(6)).min(1).max(7),
  startMinute: z.number().int().min(0).max(1440),
  endMinute: z.number().int().min(0).max(1440),
});

export const Digits = z
  .string()
  .regex(/^[0-9]+$/, 'must be digits 0-9 only')
  .max(16);

/** A lock state as docs/contracts.md describes it; parseLockState checks it against its model. */
export const LockStateInput = z
  .object({ model: z.string().min(1).max(16) })
  .catchall(z.unknown())
  .describe('lock state: { model, programmingCode?, slots?, deleted?, voltsPerCell?, programmingSwitch? }');

export function lockStateOf(raw: z.infer<typeof LockStateInput>, where = 'state'): LockState {
  return parseLockState(raw, where);
}

export function modelOf(state: LockState) {
  return getModel(state.model);
}

const QueryFlag = z
  .enum(['true', 'false', '1', '0'])
  .optional()
  .transform((v) => v === 'true' || v === '1');

export { QueryFlag };
