import { z } from 'zod';
import { KeywardError } from '../../core/errors.js';
import { credentialNames } from '../../store/manual-sessions.js';
import { recordSessionReveal } from '../../store/server-queries.js';
import { ManualSessions, type SessionStatus } from '../../sync/manual-session.js';
import { ManualSessionOut, OpenSessionOut } from '../api-types.js';
import type { Principal } from '../auth.js';
import type { ServerDeps } from '../deps.js';
import { route } from '../route.js';
import { IdParams, QueryFlag } from '../schemas.js';
import { sessionOut } from '../session-view.js';

async function present(deps: ServerDeps, sessions: ManualSessions, id: string, reveal = false) {
  const s = await sessions.outline(id);
  const diagnosis = s.status === 'needs-help' ? await sessions.diagnosis(id) : null;
  return sessionOut(
    s,
    await credentialNames(
      deps.store.ctx,
      s.ops.map((o) => o.credentialId),
    ),
    diagnosis,
    reveal,
  );
}

const Signal = z.union([
  z.object({ led: z.enum(['green', 'red', 'amber']), count: z.number().int().min(1).max(50) }).strict(),
  z.object({ beep: z.enum(['short', 'long']), count: z.number().int().min(1).max(50) }).strict(),
]);

const StepBody = z.object({
  step: z
    .number()
    .int()
    .min(1)
    .max(10_000)
    .describe('the step number the person is answering for; a stale one is refused with CONFLICT'),
});

/** Loads the session, acting as the token so the audit log names it, and checks where it is. */
async function open(
  deps: ServerDeps,
  principal: Principal | null,
  id: string,
  want: SessionStatus,
  step?: number,
) {
  const store = deps.storeFor(principal);
  const sessions = new ManualSessions(store);
  const view = await sessions.view(id);
  if (view.status !== want)
    throw new KeywardError('CONFLICT', `session ${id} is ${view.status}, not ${want}`, {
      status: view.status,
    });
  if (step !== undefined && step !== view.stepNumber)
    throw new KeywardError(
      'CONFLICT',
      `session ${id} is at step ${view.stepNumber}, not ${step}: someone else may have answered it`,
      { stepNumber: view.stepNumber },
    );
  return { sessions, view };
}

/** pause, resume, retry and abandon: one status to another, no step named. */
function move(
  action: 'pause' | 'resume' | 'retry' | 'abandon',
  from: SessionStatus | SessionStatus[],
  summary: string,
) {
  return route({
    method: 'POST',
    url: `/api/v1/manual-sessions/:id/${action}`,
    tag: 'manual locks',
    summary,
    access: 'manager',
    params: IdParams,
    response: ManualSessionOut,
    handler: async ({ deps, params, principal }) => {
      const store = deps.storeFor(principal);
      const sessions = new ManualSessions(store);
      const view = await sessions.view(params.id);
      const allowed = Array.isArray(from) ? from : [from];
      if (!allowed.includes(view.status))
        throw new KeywardError('CONFLICT', `session ${params.id} is ${view.status}: it cannot ${action}`, {
          status: view.status,
        });
      if (action === 'abandon') await sessions.abandon(params.id);
      else await sessions[action](params.id);
      deps.nudge([view.lockId]);
      return present(deps, sessions, params.id);
    },
  });
}

export const manualRoutes = [
  route({
    method: 'GET',
    url: '/api/v1/locks/:id/session',
    tag: 'manual locks',
    summary: "A manual lock's open guide session with its steps; ?reveal=true shows the codes",
    access: 'viewer',
    params: IdParams,
    query: z.object({ reveal: QueryFlag }),
    response: OpenSessionOut,
    handler: async ({ deps, params, query, principal }) => {
      if (query.reveal && principal?.role === 'viewer')
        throw new KeywardError('FORBIDDEN', 'a viewer token may not reveal codes: it needs manager');
      await deps.store.getLock(params.id);
      const sessions = new ManualSessions(deps.store);
      const current = await sessions.forLock(params.id);
      if (!current) return { session: null };
      if (query.reveal) await recordSessionReveal(deps.storeFor(principal).ctx, params.id, current.id);
      return { session: await present(deps, sessions, current.id, query.reveal) };
    },
  }),
  route({
    method: 'POST',
    url: '/api/v1/manual-sessions/:id/confirm',
    tag: 'manual locks',
    summary: 'Confirm a step: it was done and the lock showed the expected signals',
    access: 'manager',
    params: IdParams,
    body: StepBody,
    response: ManualSessionOut,
    handler: async ({ deps, params, body, principal }) => {
      const { sessions, view } = await open(deps, principal, params.id, 'active', body.step);
      await sessions.confirm(params.id);
      deps.nudge([view.lockId]);
      return present(deps, sessions, params.id);
    },
  }),
  route({
    method: 'POST',
    url: '/api/v1/manual-sessions/:id/report',
    tag: 'manual locks',
    summary: 'Report that the lock showed something else: the likely causes, most likely first',
    access: 'manager',
    params: IdParams,
    body: StepBody.extend({
      seen: z
        .array(Signal)
        .max(20)
        .describe(
          'what the lock showed instead, e.g. [{"led":"red","count":1},{"beep":"short","count":3}]; [] for nothing',
        ),
    }),
    response: ManualSessionOut,
    handler: async ({ deps, params, body, principal }) => {
      const { sessions, view } = await open(deps, principal, params.id, 'active', body.step);
      await sessions.report(params.id, body.seen);
      deps.nudge([view.lockId]);
      return present(deps, sessions, params.id);
    },
  }),
  move('retry', 'needs-help', 'After fixing the cause: start the current change again from its first step'),
  move('pause', 'active', 'Pause a session (resuming starts the current change again)'),
  move('resume', 'paused', 'Resume a paused session from the first step of its current change'),
  move(
    'abandon',
    ['active', 'paused', 'needs-help'],
    'Give a session up: unconfirmed changes wait again and a fresh session is opened',
  ),
];
