import { z } from 'zod';
import { getModel } from '../../core/catalog/index.js';
import { diagnose, SYMPTOMS } from '../../core/diagnose/index.js';
import { DiagnosisOut } from '../api-types.js';
import { route } from '../route.js';
import { Digits, LockStateInput, lockStateOf } from '../schemas.js';

export const diagnoseRoutes = [
  route({
    method: 'POST',
    url: '/api/v1/diagnose',
    tag: 'lock rules',
    summary: 'Likely causes of what the lock did, most likely first, with fixes',
    access: 'viewer',
    body: z.object({
      symptom: z.enum(SYMPTOMS),
      state: LockStateInput,
      attemptedCode: Digits.optional(),
      attemptedKind: z.enum(['user', 'programming']).optional(),
      attemptedSlot: z.number().int().min(1).max(250).optional(),
      context: z
        .object({
          doing: z.enum(['programming', 'unlocking']).optional(),
          wrongAttempts: z.number().int().min(0).max(100).optional(),
          redFlashes: z.number().int().min(0).max(100).optional(),
          batteriesReplaced: z.boolean().optional(),
          unknown: z
            .array(z.enum(['slots', 'deleted', 'programmingCode', 'voltsPerCell', 'programmingSwitch']))
            .optional(),
        })
        .optional(),
    }),
    response: DiagnosisOut,
    handler: ({ body }) => {
      const state = lockStateOf(body.state, 'body.state');
      const { state: _s, ...rest } = body;
      return diagnose({ ...rest, state, model: getModel(state.model) });
    },
  }),
];
