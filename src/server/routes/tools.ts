import { z } from 'zod';
import { describeModel, getModel, MODELS } from '../../core/catalog/index.js';
import { generateCodes } from '../../core/codes/generator.js';
import { checkCode } from '../../core/codes/rules.js';
import { adviseCode } from '../../core/codes/strength.js';
import { KeywardError } from '../../core/errors.js';
import { buildGuide, GUIDE_OPS } from '../../core/guide/index.js';
import { planLock } from '../../core/plan/index.js';
import { parseInput, runEnd, runInputs } from '../../core/twin/index.js';
import { cryptoRandom } from '../../sync/random.js';
import { route } from '../route.js';
import { Digits, LockStateInput, lockStateOf } from '../schemas.js';

export const toolRoutes = [
  route({
    method: 'GET',
    url: '/api/v1/models',
    tag: 'lock rules',
    summary: 'List the lock models and their rules',
    access: 'viewer',
    handler: () => ({ models: MODELS.map(describeModel) }),
  }),
  route({
    method: 'GET',
    url: '/api/v1/models/:id',
    tag: 'lock rules',
    summary: 'One lock model',
    access: 'viewer',
    params: z.object({ id: z.string().min(1).max(16) }),
    handler: ({ params }) => describeModel(getModel(params.id)),
  }),
  route({
    method: 'POST',
    url: '/api/v1/check',
    tag: 'lock rules',
    summary: 'Would the lock accept this code, and is it a good one',
    access: 'viewer',
    body: z.object({
      code: Digits,
      state: LockStateInput,
      kind: z.enum(['user', 'programming']).default('user'),
      slot: z.number().int().min(1).max(250).optional(),
    }),
    handler: ({ body }) => {
      const state = lockStateOf(body.state, 'body.state');
      const model = getModel(state.model);
      if (body.kind === 'programming' && !model.programmingCode)
        throw new KeywardError('BAD_INPUT', `model ${model.id} has no programming code`);
      if (body.slot !== undefined && body.slot > model.slots)
        throw new KeywardError(
          'BAD_INPUT',
          `slot ${body.slot} is out of range: model ${model.id} has 1-${model.slots}`,
        );
      const verdict = checkCode(state, model, {
        code: body.code,
        kind: body.kind,
        ...(body.slot !== undefined ? { slot: body.slot } : {}),
      });
      let judged = state;
      if (body.slot !== undefined && state.slots[String(body.slot)] !== undefined) {
        const { [String(body.slot)]: _replaced, ...rest } = state.slots;
        judged = { ...state, slots: rest };
      }
      const { advice, strength } = adviseCode(body.code, judged, model);
      return { model: model.id, kind: body.kind, ...verdict, advice, strength };
    },
  }),
  route({
    method: 'POST',
    url: '/api/v1/generate',
    tag: 'lock rules',
    summary: 'Random codes valid on every given lock state, free of advice',
    access: 'viewer',
    body: z.object({
      locks: z.array(LockStateInput).min(1).max(10_000),
      count: z.number().int().min(1).max(30).default(1),
      length: z.number().int().min(1).max(16).optional(),
    }),
    handler: ({ body }) => {
      const locks = body.locks.map((s, i) => lockStateOf(s, `body.locks[${i}]`));
      return generateCodes(
        { locks, count: body.count, ...(body.length !== undefined ? { length: body.length } : {}) },
        cryptoRandom,
      );
    },
  }),
  route({
    method: 'POST',
    url: '/api/v1/guide',
    tag: 'lock rules',
    summary: 'Exact keypresses for one operation, proven on the twin',
    access: 'viewer',
    body: z.object({
      state: LockStateInput,
      op: z.enum(GUIDE_OPS),
      code: Digits.optional(),
      slot: z.number().int().min(1).max(250).optional(),
      on: z.boolean().optional(),
    }),
    handler: ({ body }) => {
      const state = lockStateOf(body.state, 'body.state');
      const model = getModel(state.model);
      const { state: _s, ...req } = body;
      return buildGuide(state, model, req);
    },
  }),
  route({
    method: 'POST',
    url: '/api/v1/plan',
    tag: 'lock rules',
    summary: 'The fewest operations, in an order the lock accepts, to reach the desired slots',
    access: 'viewer',
    body: z.object({
      state: LockStateInput,
      desired: z.object({ slots: z.record(z.string(), Digits), programming: Digits.optional() }),
    }),
    handler: ({ body }) => {
      const state = lockStateOf(body.state, 'body.state');
      return planLock(state, body.desired, getModel(state.model));
    },
  }),
  route({
    method: 'POST',
    url: '/api/v1/twin/run',
    tag: 'lock rules',
    summary: 'Replay keypad inputs on the digital twin',
    access: 'viewer',
    body: z.object({
      state: LockStateInput,
      inputs: z.array(z.record(z.string(), z.unknown())).max(10_000),
    }),
    handler: ({ body }) => {
      const state = lockStateOf(body.state, 'body.state');
      const model = getModel(state.model);
      const inputs = body.inputs.map((raw, i) => parseInput(raw, model, `body.inputs[${i}]`));
      const trace = runInputs(state, inputs, model);
      return { lines: trace.lines, ...runEnd(trace.state) };
    },
  }),
];
