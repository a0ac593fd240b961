import type { Command } from 'commander';
import { type DesiredState, planLock } from '../../core/plan/index.js';
import type { Context } from '../context.js';
import { UsageError } from '../exit.js';
import { paint, writeJson } from '../io.js';
import { addStateOptions, readLockState, type StateOptions } from '../state-input.js';

interface PlanOptions extends StateOptions {
  desired?: string;
  json?: boolean;
}

function parseDesired(text: string): DesiredState {
  const desired: DesiredState = { slots: {} };
  for (const item of text.split(',').map((s) => s.trim())) {
    if (item === '') continue;
    const m = /^([^=]+)=([^=]*)$/.exec(item);
    if (!m) throw new UsageError(`--desired: "${item}" is not SLOT=CODE or programming=CODE`);
    const key = m[1]!.trim();
    const code = m[2]!.trim();
    if (key === 'programming') desired.programming = code;
    else if (/^[0-9]+$/.test(key)) {
      if (desired.slots[String(Number(key))] !== undefined)
        throw new UsageError(`--desired: slot ${key} is given twice`);
      desired.slots[String(Number(key))] = code;
    } else throw new UsageError(`--desired: "${key}" is neither a slot number nor "programming"`);
  }
  return desired;
}

export function registerPlan(program: Command, ctx: Context): void {
  addStateOptions(
    program
      .command('plan')
      .description('the fewest operations, in an order the lock accepts, from its codes to the desired ones')
      .requiredOption(
        '--desired <list>',
        'desired slots, e.g. 1=29475,2=8163[,programming=7824]; absent slots end empty',
      )
      .option('--json', 'machine output'),
  ).action((opts: PlanOptions) => {
    const { state, model } = readLockState(ctx.io, opts);
    const plan = planLock(state, parseDesired(opts.desired ?? ''), model);
    const { naiveOps: _naive, ...contract } = plan;
    if (opts.json) return writeJson(ctx.io, { ...contract, naiveOps: plan.naiveOps });
    const io = ctx.io;
    if (plan.requiresFactoryReset) {
      io.out(
        `${paint(io, 'yellow', 'FACTORY RESET NEEDED')}  the ${model.id} remembers prefixes the desired codes use:\n`,
      );
      for (const r of plan.reasons) io.out(`  - ${r.message}\n`);
      io.out('  Either choose other codes:\n');
      for (const a of plan.alternatives) io.out(`    - ${a.message}\n`);
      io.out('  or factory reset (keyward guide --op factory-reset), then:\n');
    } else if (plan.ops.length === 0) {
      return io.out('Nothing to do: the lock already holds the desired codes.\n');
    }
    plan.ops.forEach((op, i) => {
      const what =
        op.op === 'delete'
          ? `delete slot ${op.slot}`
          : op.op === 'add'
            ? `add ${op.code} to slot ${op.slot}`
            : `set the programming code to ${op.code}`;
      io.out(`  ${i + 1}. ${what}\n`);
    });
    io.out(
      `  ${plan.ops.length} operation${plan.ops.length === 1 ? '' : 's'} (clearing and rewriting every slot would take ${plan.naiveOps}).\n`,
    );
  });
}
