import type { FastifyError, FastifyInstance } from 'fastify';
import { type ErrorCode, isKeywardError, KeywardError } from '../core/errors.js';

/** Faults map to one status each, so a client can branch on either the status or the code. */
export const STATUS: Record<ErrorCode, number> = {
  BAD_INPUT: 400,
  UNKNOWN_MODEL: 400,
  BAD_STATE: 400,
  BAD_SCRIPT: 400,
  NO_CODE_POSSIBLE: 422,
  UNSUPPORTED: 422,
  NOT_FOUND: 404,
  CONFLICT: 409,
  UNAUTHORIZED: 401,
  FORBIDDEN: 403,
  RATE_LIMITED: 429,
  CROSS_SITE: 403,
  WRONG_SECRET_KEY: 500,
  STORE_FAILED: 503,
  DRIVER_FAILED: 502,
  INTERNAL: 500,
};

export interface ErrorBody {
  error: { code: ErrorCode; message: string; details?: Record<string, unknown> };
}

export function errorBody(e: KeywardError): ErrorBody {
  return { error: { code: e.code, message: e.message, ...(e.details ? { details: { ...e.details } } : {}) } };
}

/**
 * Fastify's own 4xx (malformed JSON, wrong content type, body too large) are the client's fault
 * and keep their status; everything else that is not a KeywardError is ours and says INTERNAL
 * without leaking the message.
 */
export function toKeywardError(error: unknown): { status: number; error: KeywardError } {
  if (isKeywardError(error)) return { status: STATUS[error.code], error };
  const fe = error as FastifyError;
  if (typeof fe?.statusCode === 'number' && fe.statusCode >= 400 && fe.statusCode < 500) {
    const code: ErrorCode =
      fe.statusCode === 429 ? 'RATE_LIMITED' : fe.statusCode === 404 ? 'NOT_FOUND' : 'BAD_INPUT';
    return { status: fe.statusCode, error: new KeywardError(code, fe.message) };
  }
  return { status: 500, error: new KeywardError('INTERNAL', 'an unexpected fault: see the server log') };
}

export function installErrorHandler(app: FastifyInstance): void {
  app.setErrorHandler((error, request, reply) => {
    const { status, error: ke } = toKeywardError(error);
    if (status >= 500) {
      const cause = (error as Error).cause;
      request.log.error(
        { err: error, ...(cause instanceof Error ? { cause: cause.message } : {}) },
        'request failed',
      );
    }
    // A throttled client is told when to try again in the header HTTP clients know.
    const retry = ke.details?.retryAfterSeconds;
    if (typeof retry === 'number') reply.header('retry-after', String(retry));
    return reply.status(status).send(errorBody(ke));
  });
}
