import type { Command } from 'commander';
import type { Context } from '../context.js';

type Register = (program: Command, ctx: Context) => void;

/**
 * Every top-level command, in the order `keyward --help` lists them, with the module that
 * registers it. Modules load on demand: a command such as `keyward status` compiles its own code
 * and not the guides, the twin or the server (BENCHMARKS.md, issue 5).
 */
const COMMANDS: ReadonlyArray<readonly [names: readonly string[], load: () => Promise<Register>]> = [
  [['models'], () => import('./models.js').then((m) => m.registerModels)],
  [['check'], () => import('./check.js').then((m) => m.registerCheck)],
  [['generate'], () => import('./generate.js').then((m) => m.registerGenerate)],
  [['start'], () => import('./start.js').then((m) => m.registerStart)],
  [['serve'], () => import('./serve.js').then((m) => m.registerServe)],
  [['twin'], () => import('./twin.js').then((m) => m.registerTwin)],
  [['guide'], () => import('./guide.js').then((m) => m.registerGuide)],
  [['plan'], () => import('./plan.js').then((m) => m.registerPlan)],
  [['diagnose'], () => import('./diagnose.js').then((m) => m.registerDiagnose)],
  [['checklist'], () => import('./checklist.js').then((m) => m.registerChecklist)],
  [['site'], () => import('./site.js').then((m) => m.registerSite)],
  [['lock'], () => import('./lock.js').then((m) => m.registerLock)],
  [['person'], () => import('./person.js').then((m) => m.registerPerson)],
  [['code'], () => import('./code.js').then((m) => m.registerCode)],
  [['status'], () => import('./status.js').then((m) => m.registerStatus)],
  [['backup', 'restore'], () => import('./backup.js').then((m) => m.registerBackup)],
  [['audit'], () => import('./audit.js').then((m) => m.registerAudit)],
  [['zwave'], () => import('./zwave.js').then((m) => m.registerZWave)],
  [['zigbee'], () => import('./zigbee.js').then((m) => m.registerZigbee)],
  [['sign-in-link'], () => import('./sign-in-link.js').then((m) => m.registerSignInLink)],
  [['calendar'], () => import('./calendar.js').then((m) => m.registerCalendar)],
];

/**
 * Registers the command argv names, or every command when argv names none of them (help, a
 * version flag, a typo that commander answers with a suggestion). A module that registers
 * several commands registers all of them, so their help and errors stay the same either way.
 */
export async function registerCommands(
  program: Command,
  ctx: Context,
  argv: readonly string[],
): Promise<void> {
  const named = COMMANDS.find(([names]) => names.includes(argv[0] ?? ''));
  const registers = await Promise.all((named ? [named] : COMMANDS).map(([, load]) => load()));
  for (const register of registers) register(program, ctx);
}
