import type { Command } from 'commander';
import { isDigits } from '../../core/codes/keypad.js';
import { buildGuide, GUIDE_OPS, type GuideOp, type GuideRequest } from '../../core/guide/index.js';
import type { Context } from '../context.js';
import { EXIT_REJECTED, UsageError } from '../exit.js';
import { writeJson } from '../io.js';
import { guideCard } from '../render/guide-card.js';
import { guideMarkdown, guideText, refusalText } from '../render/guide-text.js';
import { addStateOptions, parseSlot, readLockState, type StateOptions } from '../state-input.js';
import { nearest } from './suggest.js';

interface GuideOptions extends StateOptions {
  op?: string;
  code?: string;
  slot?: string;
  on?: string;
  format?: string;
  json?: boolean;
}

const FORMATS = ['text', 'markdown', 'json', 'html'];

export function registerGuide(program: Command, ctx: Context): void {
  addStateOptions(
    program
      .command('guide')
      .description('exact keypresses for one operation on one lock, proven on the twin')
      .option('--op <op>', `operation: ${GUIDE_OPS.join(', ')}`)
      .option('--code <code>', 'the code to add, set, delete or test')
      .option('--slot <n>', 'the slot to add to or delete')
      .option('--on <on|off>', 'programming-switch: turn it on or off', 'on')
      .option('--format <format>', `output: ${FORMATS.join(', ')}`, 'text')
      .option('--json', 'machine output (same as --format json)'),
  ).action((opts: GuideOptions) => {
    if (opts.op === undefined) throw new UsageError(`give --op, one of: ${GUIDE_OPS.join(', ')}`);
    const op = opts.op as GuideOp;
    if (!GUIDE_OPS.includes(op)) {
      const near = nearest(opts.op, GUIDE_OPS);
      throw new UsageError(
        `unknown --op "${opts.op}"${near ? `: did you mean ${near}?` : ''} (known: ${GUIDE_OPS.join(', ')})`,
      );
    }
    const format = opts.json ? 'json' : (opts.format ?? 'text');
    if (!FORMATS.includes(format))
      throw new UsageError(`unknown --format "${format}" (known: ${FORMATS.join(', ')})`);
    if (opts.on !== 'on' && opts.on !== 'off') throw new UsageError('--on takes on or off');
    const { state, model } = readLockState(ctx.io, opts);
    const req: GuideRequest = { op, on: opts.on === 'on' };
    const slot = parseSlot(opts.slot, model);
    if (slot !== undefined) req.slot = slot;
    if (opts.code !== undefined) {
      if (!isDigits(opts.code)) throw new UsageError(`--code "${opts.code}" must be digits 0-9 only`);
      const range = op === 'set-programming-code' ? model.programmingCode?.length : model.userCodeLength;
      if (range && (opts.code.length < range.min || opts.code.length > range.max)) {
        throw new UsageError(
          `--code has ${opts.code.length} digits; model ${model.id} takes ${range.min}-${range.max} here`,
        );
      }
      req.code = opts.code;
    }
    const result = buildGuide(state, model, req);
    if (!result.ok) {
      ctx.exitCode = EXIT_REJECTED;
      if (format === 'json') return writeJson(ctx.io, { ...result, accepted: false });
      return ctx.io.out(refusalText(ctx.io, result));
    }
    const guide = result.guide;
    if (format === 'json') return writeJson(ctx.io, guide);
    if (format === 'markdown') return ctx.io.out(guideMarkdown(guide));
    if (format === 'html') return ctx.io.out(guideCard(guide));
    ctx.io.out(guideText(ctx.io, guide));
  });
}
