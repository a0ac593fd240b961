import type { Command } from 'commander';
import { isDigits } from '../../core/codes/keypad.js';
import type { CodeKind } from '../../core/codes/rules.js';
import {
  type DiagnoseContext,
  diagnose,
  isSymptom,
  SYMPTOMS,
  type Symptom,
} from '../../core/diagnose/index.js';
import type { Context } from '../context.js';
import { UsageError } from '../exit.js';
import { paint, writeJson } from '../io.js';
import { addStateOptions, parseSlot, readLockState, type StateOptions } from '../state-input.js';
import { describeFields, knownStateFields, unknownFields } from './state-known.js';
import { nearest } from './suggest.js';

interface DiagnoseOptions extends StateOptions {
  symptom?: string;
  attemptedCode?: string;
  kind?: string;
  slot?: string;
  doing?: string;
  wrongAttempts?: string;
  redFlashes?: string;
  batteriesReplaced?: boolean;
  json?: boolean;
}

const TITLES: Record<Symptom, string> = {
  'red-3-beeps': 'Red flash and 3 beeps',
  'no-response': 'No light and no sound',
  'red-flashes': 'Red flashes',
  'code-does-not-unlock': 'The code does not unlock',
};

/** Longer than any keypad takes, so a pasted number is refused rather than read as a code. */
const MAX_ATTEMPT_DIGITS = 20;

function count(text: string | undefined, flag: string, max: number): number | undefined {
  if (text === undefined) return undefined;
  const n = Number(text);
  if (!/^[0-9]+$/.test(text) || n > max)
    throw new UsageError(`${flag} takes a whole number from 0 to ${max}, not "${text}"`);
  return n;
}

function readContext(opts: DiagnoseOptions): DiagnoseContext {
  const ctx: DiagnoseContext = {};
  if (opts.doing !== undefined) {
    if (opts.doing !== 'programming' && opts.doing !== 'unlocking') {
      throw new UsageError(`--doing takes programming or unlocking, not "${opts.doing}"`);
    }
    ctx.doing = opts.doing;
  }
  const wrong = count(opts.wrongAttempts, '--wrong-attempts', 100);
  if (wrong !== undefined) ctx.wrongAttempts = wrong;
  const flashes = count(opts.redFlashes, '--red-flashes', 100);
  if (flashes !== undefined) ctx.redFlashes = flashes;
  if (opts.batteriesReplaced) ctx.batteriesReplaced = true;
  return ctx;
}

export function registerDiagnose(program: Command, ctx: Context): void {
  addStateOptions(
    program
      .command('diagnose')
      .description('why the lock answered this way: likely causes, most likely first, and what to do')
      .option('--symptom <s>', `what the lock did: ${SYMPTOMS.join(', ')}`)
      .option('--attempted-code <code>', 'the code that was being added or entered')
      .option('--kind <kind>', 'the attempted code was a user or the programming code', 'user')
      .option('--slot <n>', 'the slot the code was being added to')
      .option('--doing <what>', 'programming (adding or changing a code) or unlocking')
      .option('--wrong-attempts <n>', 'wrong codes entered within the last minute')
      .option('--red-flashes <n>', 'how many red flashes the lock showed')
      .option('--batteries-replaced', 'new batteries are already in and the symptom persists')
      .option('--json', 'machine output'),
  ).action((opts: DiagnoseOptions) => {
    const symptom = opts.symptom;
    const choices = SYMPTOMS.map((s) => `${s} (${TITLES[s].toLowerCase()})`).join(', ');
    if (symptom === undefined) throw new UsageError(`give --symptom, what the lock did: ${choices}`);
    if (!isSymptom(symptom)) {
      const near = nearest(symptom, SYMPTOMS);
      throw new UsageError(
        `unknown symptom "${symptom}"${near ? `: did you mean ${near}?` : ''} (known: ${choices})`,
      );
    }
    const code = opts.attemptedCode;
    if (code !== undefined && (!isDigits(code) || code.length > MAX_ATTEMPT_DIGITS)) {
      throw new UsageError(`--attempted-code "${code}" must be 1-${MAX_ATTEMPT_DIGITS} digits 0-9`);
    }
    const kind = opts.kind as CodeKind;
    if (kind !== 'user' && kind !== 'programming') {
      throw new UsageError(`--kind must be user or programming, not "${opts.kind}"`);
    }
    if (code === undefined && (opts.slot !== undefined || kind !== 'user')) {
      throw new UsageError('--slot and --kind describe the attempted code: give --attempted-code too');
    }
    const context = readContext(opts);
    const known = knownStateFields(ctx.io, opts);
    const { state, model } = readLockState(known.io, opts);
    if (kind === 'programming' && !model.programmingCode) {
      throw new UsageError(`model ${model.id} has no programming code`);
    }
    const slot = parseSlot(opts.slot, model);
    context.unknown = unknownFields(known.fields, model);
    const result = diagnose({
      symptom,
      state,
      model,
      ...(code !== undefined ? { attemptedCode: code, attemptedKind: kind } : {}),
      ...(slot !== undefined ? { attemptedSlot: slot } : {}),
      context,
    });
    if (opts.json) {
      return writeJson(ctx.io, {
        ...result,
        ...(code !== undefined ? { attempted: { code, kind, ...(slot !== undefined ? { slot } : {}) } } : {}),
        unknown: context.unknown,
      });
    }
    const io = ctx.io;
    io.out(
      `${paint(io, 'bold', TITLES[symptom])} on the ${model.id}${code !== undefined ? ` (code ${code})` : ''}: likely causes, most likely first.\n`,
    );
    if (context.unknown.length > 0) {
      io.out(
        paint(io, 'dim', `Not given, so nothing is ruled out on them: ${describeFields(context.unknown)}.\n`),
      );
    }
    result.causes.forEach((cause, i) => {
      const pct = `${Math.round(cause.likelihood * 100)}%`;
      const tag = cause.basis === 'confirmed' ? paint(io, 'red', 'shown by the lock state') : 'possible';
      io.out(`\n${i + 1}. [${pct}, ${tag}] ${cause.explanation}\n`);
      for (const step of cause.fix) io.out(`   - ${step}\n`);
    });
    io.out(`\n${paint(io, 'bold', 'Quick fix')} (the guide's protocol, in order):\n`);
    result.quickFix.forEach((step, i) => {
      io.out(`  ${i + 1}. ${step}\n`);
    });
  });
}
