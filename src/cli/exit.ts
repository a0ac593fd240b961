/** The exit codes every command keeps (docs/contracts.md): 0 yes, 1 the lock would refuse or a check failed, 2 bad input. */
export const EXIT_OK = 0;
export const EXIT_REJECTED = 1;
export const EXIT_BAD_INPUT = 2;
/** A fault that is not the user's input (database, driver, internal): sysexits EX_SOFTWARE. */
export const EXIT_FAULT = 70;

/** Bad usage or bad input: one line on stderr, exit 2. */
export class UsageError extends Error {
  override name = 'UsageError';
}
