import type { Command } from 'commander';
import { parseScript, runEnd, runInputs } from '../../core/twin/index.js';
import type { Context } from '../context.js';
import { UsageError } from '../exit.js';
import { readSource } from '../io.js';
import { addStateOptions, readLockState, type StateOptions } from '../state-input.js';

interface RunOptions extends StateOptions {
  script?: string;
  json?: boolean;
}

export function registerTwin(program: Command, ctx: Context): void {
  const twin = program
    .command('twin')
    .description('the digital twin of a lock: practise at an interactive keypad, or run a script')
    .option('--model <id>', 'lock model for the interactive keypad')
    .option('--state <file>', 'start from this lock state (JSON)')
    .action(async (opts: StateOptions) => {
      if (!opts.model && !opts.state) throw new UsageError('keyward twin needs --model M (or --state FILE)');
      const { state, model } = readLockState(ctx.io, opts);
      const { runInteractive } = await import('../twin-interactive.js');
      ctx.exitCode = await runInteractive(state, model);
    });

  addStateOptions(
    twin
      .command('run')
      .description('replay a script of inputs; one JSON line per input, then the final state')
      .requiredOption('--script <file>', 'JSON array or JSON lines of inputs (- for stdin)')
      .option('--json', 'machine output (the default for this command)'),
  ).action((opts: RunOptions) => {
    const { state, model } = readLockState(ctx.io, opts);
    const inputs = parseScript(readSource(ctx.io, opts.script!), model);
    const trace = runInputs(state, inputs, model);
    let text = '';
    for (const line of trace.lines) text += `${JSON.stringify(line)}\n`;
    text += `${JSON.stringify(runEnd(trace.state))}\n`;
    ctx.io.out(text);
  });
}
