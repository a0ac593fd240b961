import type { Command } from 'commander';
import type { RotationPolicy } from '../../core/access/policies.js';
import { CODE_HYGIENE, type Guest, hygieneCalendar, monthlyChecklist } from '../../core/hygiene/index.js';
import type { Context } from '../context.js';
import { UsageError } from '../exit.js';
import { paint, writeJson } from '../io.js';
import { addStateOptions, readLockState, type StateOptions } from '../state-input.js';
import { isoDay, isoWhen, parseInstant } from './instant.js';
import { knownStateFields } from './state-known.js';

interface ChecklistOptions extends StateOptions {
  rotation: string;
  lastRotation?: string;
  lastMaintenance?: string;
  lastBatteryChange?: string;
  lastLubrication?: string;
  guest: string[];
  now?: string;
  json?: boolean;
}

function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}

function parseGuest(text: string): Guest {
  const m = /^([^=]+)=(.+)$/.exec(text);
  if (!m) throw new UsageError(`--guest: "${text}" is not NAME=DATE (the day the stay ends)`);
  return { name: m[1]!.trim(), endsAt: parseInstant(m[2]!.trim(), `--guest ${m[1]!.trim()}`) };
}

function optionalInstant(text: string | undefined, flag: string): number | undefined {
  return text === undefined ? undefined : parseInstant(text, flag);
}

export function registerChecklist(program: Command, ctx: Context): void {
  addStateOptions(
    program
      .command('checklist')
      .description("the guide's monthly maintenance checklist and the code-hygiene calendar for a lock")
      .option('--rotation <policy>', 'change codes annual or quarterly', 'annual')
      .option('--last-rotation <date>', 'when every code was last changed (YYYY-MM-DD)')
      .option('--last-maintenance <date>', 'when the monthly check was last done')
      .option('--last-battery-change <date>', 'when the batteries were last replaced')
      .option('--last-lubrication <date>', 'when graphite last went into the key cylinder')
      .option('--guest <name=date>', 'a guest code and the day the stay ends (repeatable)', collect, [])
      .option('--now <iso>', 'the time to plan from (default: the clock), for reproducible output')
      .option('--json', 'machine output'),
  ).action((opts: ChecklistOptions) => {
    if (opts.rotation !== 'annual' && opts.rotation !== 'quarterly') {
      throw new UsageError(`--rotation takes annual or quarterly, not "${opts.rotation}"`);
    }
    const rotation: RotationPolicy = opts.rotation;
    // The core has no clock: the wall clock is read here, once.
    const now = opts.now === undefined ? Date.now() : parseInstant(opts.now, '--now');
    const lastRotation = optionalInstant(opts.lastRotation, '--last-rotation');
    const lastMaintenance = optionalInstant(opts.lastMaintenance, '--last-maintenance');
    const lastBatteryChange = optionalInstant(opts.lastBatteryChange, '--last-battery-change');
    const lastLubrication = optionalInstant(opts.lastLubrication, '--last-lubrication');
    const guests = opts.guest.map(parseGuest);
    const known = knownStateFields(ctx.io, opts);
    const { state, model } = readLockState(known.io, opts);
    const given = known.fields();
    const voltsPerCell = given.has('voltsPerCell') ? state.voltsPerCell : undefined;
    const calendar = hygieneCalendar({
      now,
      model,
      rotation,
      guests,
      ...(lastRotation !== undefined ? { lastRotation } : {}),
      ...(lastMaintenance !== undefined ? { lastMaintenance } : {}),
      ...(lastBatteryChange !== undefined ? { lastBatteryChange } : {}),
      ...(lastLubrication !== undefined ? { lastLubrication } : {}),
      ...(voltsPerCell !== undefined ? { voltsPerCell } : {}),
    });
    const lubrication = calendar.find((i) => i.kind === 'lubrication');
    const checklist = monthlyChecklist({
      model,
      ...(given.has('slots') ? { codeCount: Object.keys(state.slots).length } : {}),
      ...(voltsPerCell !== undefined ? { voltsPerCell } : {}),
      ...(lastLubrication !== undefined && lubrication ? { lubricationDue: lubrication.dueAt <= now } : {}),
    });
    if (opts.json) {
      return writeJson(ctx.io, {
        model: model.id,
        now: new Date(now).toISOString(),
        rotation,
        checklist,
        calendar: calendar.map((i) => ({ ...i, dueAt: new Date(i.dueAt).toISOString() })),
        practices: CODE_HYGIENE,
      });
    }
    const io = ctx.io;
    io.out(`${paint(io, 'bold', 'Monthly maintenance')} for the ${model.name}:\n`);
    checklist.forEach((item, i) => {
      const box =
        item.status === 'act'
          ? paint(io, 'red', '[!]')
          : item.status === 'ok'
            ? paint(io, 'green', '[ok]')
            : '[ ]';
      io.out(`  ${i + 1}. ${box} ${item.title}${item.finding ? `: ${item.finding}` : ''}\n`);
      io.out(`        ${item.detail}\n`);
    });
    io.out(
      `\n${paint(io, 'bold', 'Calendar')} (soonest first, as of ${isoDay(now)}; ${rotation} code changes):\n`,
    );
    for (const item of calendar) {
      const when = item.overdue
        ? paint(io, 'red', 'OVERDUE')
        : item.dueAt <= now
          ? paint(io, 'yellow', 'due now')
          : 'due    ';
      io.out(`  ${when}  ${isoWhen(item.dueAt)}  ${item.title}\n`);
      io.out(`                       ${item.detail}\n`);
    }
    io.out(`\n${paint(io, 'bold', 'Code hygiene')}:\n`);
    for (const p of CODE_HYGIENE) io.out(`  - ${p}\n`);
  });
}
