/**
 * The one error class for faults. Expected outcomes (a code the lock would refuse, a plan that
 * needs a factory reset) are data; a KeywardError means the input or the system was wrong.
 * Every code is listed in docs/errors.md, and tests keep the two in step.
 */
export const ERROR_CODES = {
  BAD_INPUT: 'input is malformed or out of range',
  UNKNOWN_MODEL: 'no model with that id in the catalog',
  BAD_STATE: 'a lock state is contradictory or does not fit its model',
  BAD_SCRIPT: 'a twin script has an unknown input, a key the model lacks or a bad value',
  NO_CODE_POSSIBLE: 'no code can satisfy every lock and constraint',
  UNSUPPORTED: 'the model has no such feature or procedure',
  NOT_FOUND: 'no record with that id',
  CONFLICT: 'the record changed since it was read',
  UNAUTHORIZED: 'missing or unknown token',
  FORBIDDEN: 'the token role may not do this',
  RATE_LIMITED: 'too many failed attempts',
  CROSS_SITE: "a change signed in by the browser cookie did not come from Keyward's own pages",
  WRONG_SECRET_KEY: 'the secret key does not decrypt the stored data',
  STORE_FAILED: 'the database refused or failed an operation',
  DRIVER_FAILED: 'a lock driver could not complete an operation',
  INTERNAL: 'an unexpected fault',
} as const;

export type ErrorCode = keyof typeof ERROR_CODES;

export class KeywardError extends Error {
  readonly code: ErrorCode;
  readonly details: Readonly<Record<string, unknown>> | undefined;

  /**
   * `cause`: the underlying failure (a database's own message, say). It is for the operator's
   * log and terminal, never for an HTTP answer, which carries `message` alone.
   */
  constructor(code: ErrorCode, message: string, details?: Record<string, unknown>, cause?: unknown) {
    super(message, cause === undefined ? undefined : { cause });
    this.name = 'KeywardError';
    this.code = code;
    this.details = details;
  }
}

export function isKeywardError(value: unknown): value is KeywardError {
  return value instanceof KeywardError;
}
