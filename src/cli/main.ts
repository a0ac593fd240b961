import { Command, CommanderError } from 'commander';
import { isKeywardError } from '../core/errors.js';
import { registerCommands } from './commands/index.js';
import type { Context } from './context.js';
import { EXIT_BAD_INPUT, EXIT_FAULT, UsageError } from './exit.js';
import { type Io, processIo } from './io.js';

const INPUT_ERRORS = new Set([
  'BAD_INPUT',
  'UNKNOWN_MODEL',
  'BAD_STATE',
  'BAD_SCRIPT',
  'NO_CODE_POSSIBLE',
  'UNSUPPORTED',
  'NOT_FOUND',
  'CONFLICT',
  'WRONG_SECRET_KEY',
]);

function firstLine(text: string): string {
  return (
    text
      .split('\n')
      .find((l) => l.trim())
      ?.trim() ?? text
  );
}

/** Commander's first line, and its "(Did you mean status?)" for a typo, still on one line. */
function withSuggestion(text: string): string {
  const hint = text.split('\n').find((l) => /^\(Did you mean .+\?\)$/.test(l.trim()));
  return hint ? `${firstLine(text)} ${hint.trim()}` : firstLine(text);
}

export async function main(argv: string[], io: Io = processIo()): Promise<number> {
  const ctx: Context = { io, exitCode: 0 };
  const program = new Command('keyward')
    .description('Code manager and digital twin for Kwikset SmartCode keypad locks')
    .version('0.1.0')
    .exitOverride()
    .showHelpAfterError(false)
    .enablePositionalOptions()
    .configureOutput({
      writeOut: (s) => io.out(s),
      writeErr: (s) => io.err(`keyward: ${withSuggestion(s).replace(/^error: /, '')}\n`),
    });
  try {
    await registerCommands(program, ctx, argv);
    await program.parseAsync(argv, { from: 'user' });
    return ctx.exitCode;
  } catch (error) {
    if (error instanceof CommanderError) {
      return error.exitCode === 0 ? 0 : EXIT_BAD_INPUT;
    }
    if (error instanceof UsageError || (isKeywardError(error) && INPUT_ERRORS.has(error.code))) {
      io.err(`keyward: ${firstLine((error as Error).message)}\n`);
      return EXIT_BAD_INPUT;
    }
    if (isKeywardError(error)) {
      // At a terminal the operator is the one who reads the database's own words.
      const cause = error.cause instanceof Error ? ` (${firstLine(error.cause.message)})` : '';
      io.err(`keyward: ${error.code}: ${firstLine(error.message)}${cause}\n`);
      return EXIT_FAULT;
    }
    throw error;
  }
}
