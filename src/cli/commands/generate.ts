import type { Command } from 'commander';
import type { LockState } from '../../core/codes/lock-state.js';
import { parseLockState } from '../../core/codes/lock-state.js';
import { isKeywardError } from '../../core/errors.js';
import type { Context } from '../context.js';
import { EXIT_REJECTED, UsageError } from '../exit.js';
import { paint, parseJson, readSource, writeJson } from '../io.js';
import { addPersonalOptions, type PersonalOptions, readPersonal } from '../personal-input.js';
import { addStateOptions, readLockState, type StateOptions } from '../state-input.js';

interface GenerateOptions extends StateOptions, PersonalOptions {
  count?: string;
  length?: string;
  locks?: string;
  json?: boolean;
}

function wholeNumber(text: string | undefined, flag: string, min: number, max: number): number | undefined {
  if (text === undefined) return undefined;
  const n = Number(text);
  if (!/^[0-9]+$/.test(text) || n < min || n > max)
    throw new UsageError(`${flag} ${text}: give a whole number from ${min} to ${max}`);
  return n;
}

function readLocks(ctx: Context, file: string): LockState[] {
  const where = file === '-' ? 'stdin' : file;
  const parsed = parseJson(readSource(ctx.io, file), where);
  if (!Array.isArray(parsed) || parsed.length === 0) {
    throw new UsageError(`${where}: --locks takes a non-empty JSON array of lock states`);
  }
  return parsed.map((raw, i) => parseLockState(raw, `${where}[${i}]`));
}

/**
 * A full lock or lengths that leave no room mean the lock(s) would reject every code: that is
 * exit 1 (docs/contracts.md: "the lock would reject"), with the reason, not a usage error.
 */
export function registerGenerate(program: Command, ctx: Context): void {
  addPersonalOptions(
    addStateOptions(
      program
        .command('generate')
        .description('random codes the lock accepts with its existing codes, free of predictable patterns')
        .option('--count <n>', 'how many codes (default 1)')
        .option(
          '--length <digits>',
          'code length (default: the shortest that keeps a random guesser out for 30 days)',
        )
        .option('--locks <file>', 'JSON array of lock states: codes valid on every one of them (- for stdin)')
        .option('--json', 'machine output'),
    ),
  ).action(async (opts: GenerateOptions) => {
    const count = wholeNumber(opts.count, '--count', 1, 30) ?? 1;
    const length = wholeNumber(opts.length, '--length', 1, 99);
    const personal = readPersonal(opts);
    const hasState = opts.state !== undefined || opts.model !== undefined;
    if (opts.locks !== undefined && hasState) {
      throw new UsageError('give either one lock (--model/--state) or --locks FILE, not both');
    }
    const locks = opts.locks !== undefined ? readLocks(ctx, opts.locks) : [readLockState(ctx.io, opts).state];
    // Loaded here so that `keyward check` never pays for the generator at start-up.
    const [{ generateCodes }, { cryptoRandom }] = await Promise.all([
      import('../../core/codes/generator.js'),
      import('../../sync/random.js'),
    ]);
    let result: ReturnType<typeof generateCodes>;
    try {
      result = generateCodes(
        { locks, count, ...(length !== undefined ? { length } : {}), ...(personal ? { personal } : {}) },
        cryptoRandom,
      );
    } catch (error) {
      if (!isKeywardError(error) || error.code !== 'NO_CODE_POSSIBLE') throw error;
      ctx.exitCode = EXIT_REJECTED;
      if (opts.json)
        return writeJson(ctx.io, { codes: [], possible: false, reason: error.message, locks: locks.length });
      ctx.io.out(`${paint(ctx.io, 'red', 'NO CODE POSSIBLE')}  ${error.message}\n`);
      return;
    }
    if (opts.json) return writeJson(ctx.io, { ...result, possible: true, locks: locks.length });
    const io = ctx.io;
    const target = locks.length === 1 ? `the ${locks[0]!.model}` : `all ${locks.length} locks`;
    const n = result.codes.length;
    io.out(`${n === 1 ? 'A code' : `${n} codes`} for ${target} (${result.length} digits):\n`);
    for (const code of result.codes) io.out(`  ${paint(io, 'bold', code)}\n`);
    io.out(`Length: ${result.why}.\n`);
    io.out(
      'Each is accepted alongside the codes already there and the others above, and has no predictable pattern.\n',
    );
    for (const w of result.warnings) io.out(`${paint(io, 'yellow', 'NOTE')}  ${w}\n`);
  });
}
