import { z } from 'zod';
import { getModel } from '../core/catalog/index.js';
import { type LockState, parseLockState } from '../core/codes/lock-state.js';

/** Record ids are short prefixed random strings; anything else is refused before the database. */
export const Id = z
  .string()
  .min(1)
  .max(64)
  .regex(/^[A-Za-z0-9_-]+$/, 'must be a record id such as lock_Ab3...');

export const IdParams = z.object({ id: Id });

/** Times are ms since the epoch or ISO 8601 text ("2026-12-01T15:00:00Z"). */
export const Time = z
  .union([
    z.number().int().min(0).max(8.64e15),
    z
      .string()
      .refine((s) => !Number.isNaN(Date.parse(s)), 'must be an ISO 8601 date-time or ms since the epoch'),
  ])
  .transform((v) => (typeof v === 'number' ? v : Date.parse(v)));

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
