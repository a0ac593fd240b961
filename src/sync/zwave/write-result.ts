import { KeywardError } from '../../core/errors.js';
import type { AccessCodeError, WriteResult } from '../driver.js';

export function fail(error: AccessCodeError, message: string, retryable: boolean): WriteResult {
  return { ok: false, error, message, retryable };
}

export function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** A read that failed, as the reconciler expects it: the one coded error class. */
export function driverFailed(error: unknown): KeywardError {
  if (error instanceof KeywardError) return error;
  return new KeywardError('DRIVER_FAILED', errorText(error));
}
