import { z } from 'zod';
import { getModel } from '../../core/catalog/index.js';
import { diagnose, SYMPTOMS } from '../../core/diagnose/index.js';
import { hideCodes } from '../../core/diagnose/redact.js';
import { KeywardError } from '../../core/errors.js';
import { DiagnosisOut } from '../api-types.js';
import { lockKnowledge } from '../diagnose-lock.js';
import { route } from '../route.js';
import { Digits, Id, LockStateInput, lockStateOf } from '../schemas.js';

const FIELDS = ['slots', 'deleted', 'programmingCode', 'voltsPerCell', 'programmingSwitch'] as const;

export const diagnoseRoutes = [
  route({
    method: 'POST',
    url: '/api/v1/diagnose',
    tag: 'lock rules',
    summary:
      'Likely causes of what the lock did, most likely first, with fixes; likelihoods add up to 1 at most. ' +
      'Give `lockId` to use what Keyward knows of a registered lock (its codes named, never shown), or `state`.',
    access: 'viewer',
    body: z.object({
      symptom: z.enum(SYMPTOMS),
      state: LockStateInput.optional(),
      lockId: Id.optional(),
      attemptedCode: Digits.optional(),
      attemptedKind: z.enum(['user', 'programming']).optional(),
      attemptedSlot: z.number().int().min(1).max(250).optional(),
      context: z
        .object({
          doing: z.enum(['programming', 'unlocking']).optional(),
          wrongAttempts: z.number().int().min(0).max(100).optional(),
          redFlashes: z.number().int().min(0).max(100).optional(),
          batteriesReplaced: z.boolean().optional(),
          unknown: z.array(z.enum(FIELDS)).optional(),
        })
        .optional(),
    }),
    response: DiagnosisOut,
    handler: async ({ body, deps }) => {
      const { state: raw, lockId, ...rest } = body;
      if (lockId === undefined) {
        if (!raw) throw new KeywardError('BAD_INPUT', 'body: give lockId (a lock in the register) or state');
        const state = lockStateOf(raw, 'body.state');
        return diagnose({ ...rest, state, model: getModel(state.model) });
      }
      if (raw) throw new KeywardError('BAD_INPUT', 'body: give lockId or state, not both');
      const known = await lockKnowledge(deps.store, lockId);
      const model = getModel(known.state.model);
      const unknown = [...new Set([...known.unknown, ...(rest.context?.unknown ?? [])])];
      const d = diagnose({ ...rest, state: known.state, model, context: { ...rest.context, unknown } });
      return { ...hideCodes(d, model, known.named, rest.attemptedCode), basedOn: known.basedOn };
    },
  }),
];
