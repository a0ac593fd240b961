import type { Command } from 'commander';
import { isDigits } from '../../core/codes/keypad.js';
import { type CodeKind, checkCode } from '../../core/codes/rules.js';
import { adviseCode, formatHours } from '../../core/codes/strength.js';
import type { Context } from '../context.js';
import { EXIT_REJECTED, UsageError } from '../exit.js';
import { paint, writeJson } from '../io.js';
import { addPersonalOptions, type PersonalOptions, readPersonal } from '../personal-input.js';
import { addStateOptions, parseSlot, readLockState, type StateOptions } from '../state-input.js';

interface CheckOptions extends StateOptions, PersonalOptions {
  kind?: string;
  slot?: string;
  json?: boolean;
}

export function registerCheck(program: Command, ctx: Context): void {
  addPersonalOptions(
    addStateOptions(
      program
        .command('check')
        .description('would the lock accept this code, and if not, why; and is it a good code')
        .argument('<code>', 'the candidate code')
        .option('--kind <kind>', 'user or programming', 'user')
        .option('--slot <n>', 'target slot (default: the first free slot)')
        .option('--json', 'machine output'),
    ),
  ).action((code: string, opts: CheckOptions) => {
    if (!isDigits(code)) throw new UsageError(`code "${code}" must be digits 0-9 only`);
    const kind = opts.kind as CodeKind;
    if (kind !== 'user' && kind !== 'programming')
      throw new UsageError(`--kind must be user or programming, not "${opts.kind}"`);
    const { state, model } = readLockState(ctx.io, opts);
    if (kind === 'programming' && !model.programmingCode) {
      throw new UsageError(`model ${model.id} has no programming code`);
    }
    const slot = parseSlot(opts.slot, model);
    const personal = readPersonal(opts);
    const verdict = checkCode(state, model, { code, kind, ...(slot !== undefined ? { slot } : {}) });
    // A code written over an occupied slot replaces it, so the replaced code no longer counts.
    // A programming code counts like a user code: whoever guesses it can add a code of their own.
    let judged = state;
    if (slot !== undefined && state.slots[String(slot)] !== undefined) {
      const { [String(slot)]: _replaced, ...rest } = state.slots;
      judged = { ...state, slots: rest };
    }
    const { advice, strength } = adviseCode(code, judged, model, personal);
    const result = {
      code,
      model: model.id,
      kind,
      slot: verdict.slot,
      accepted: verdict.accepted,
      reasons: verdict.reasons,
      feedback: verdict.feedback,
      advice,
      strength,
    };
    if (!verdict.accepted) ctx.exitCode = EXIT_REJECTED;
    if (opts.json) return writeJson(ctx.io, result);
    const io = ctx.io;
    const where = kind === 'programming' ? 'as the programming code' : `in slot ${verdict.slot ?? '?'}`;
    if (verdict.accepted) {
      io.out(`${paint(io, 'green', 'ACCEPTED')}  the ${model.id} will take ${code} ${where}.\n`);
    } else {
      io.out(`${paint(io, 'red', 'REJECTED')}  the ${model.id} would refuse ${code} ${where}:\n`);
      for (const r of verdict.reasons) io.out(`  - ${r.message} [${r.rule}]\n`);
    }
    const f = verdict.feedback;
    io.out(
      `  At the lock: ${f.led === 'none' ? 'no light and no sound' : `${f.flashes} ${f.led} flash${f.flashes === 1 ? '' : 'es'}, ${f.beeps} beep${f.beeps === 1 ? '' : 's'}`}.\n`,
    );
    if (advice.length > 0) {
      io.out(`${paint(io, 'yellow', 'ADVICE')}  the lock would not mind, but a guesser would:\n`);
      for (const a of advice) io.out(`  - ${a.message} [${a.rule}]\n`);
    } else if (verdict.accepted) {
      io.out(
        `${paint(io, 'green', 'GOOD CODE')}  no predictable pattern, common PIN or personal data found.\n`,
      );
    }
    io.out(
      `  Brute force${verdict.accepted ? '' : ' (were it added)'}: with ${strength.codesOnLock} code${strength.codesOnLock === 1 ? '' : 's'} on the lock, a stranger typing random ${strength.attackLength}-digit codes needs about ${Math.round(strength.guessesExpected).toLocaleString('en-US')} guesses, ${formatHours(strength.expectedHoursToCompromise)} at ${Math.round(strength.triesPerHour)} an hour (${strength.assumptions}).\n`,
    );
  });
}
