import type { Io } from './io.js';

/** What every command runs with: where it reads and writes, and the exit code it sets. */
export interface Context {
  io: Io;
  /** Set by a command's action; the exit codes are listed in docs/cli.md. */
  exitCode: number;
}
