import type { Command } from 'commander';
import { describeModel, MODELS } from '../../core/catalog/index.js';
import type { Context } from '../context.js';
import { writeJson } from '../io.js';
import { table } from '../table.js';

export function registerModels(program: Command, ctx: Context): void {
  program
    .command('models')
    .description('the lock models Keyward knows, with their rules and sources')
    .option('--json', 'machine output')
    .action((opts: { json?: boolean }) => {
      if (opts.json) return writeJson(ctx.io, MODELS.map(describeModel));
      const rows = MODELS.map((m) => [
        m.id,
        m.name,
        m.keypad,
        m.radio,
        String(m.slots),
        `${m.userCodeLength.min}-${m.userCodeLength.max}`,
        m.programmingCode
          ? `${m.programmingCode.length.min}-${m.programmingCode.length.max}${m.programmingCode.default ? ` (default ${m.programmingCode.default})` : ' (off)'}`
          : '-',
        m.quirks.deletedCodeMemory ? 'yes' : 'no',
      ]);
      ctx.io.out(
        table(
          [
            'model',
            'name',
            'keypad',
            'radio',
            'slots',
            'user code',
            'programming code',
            'deleted-code memory',
          ],
          rows,
        ),
      );
      ctx.io.out('\nEvery fact has a source: keyward models --json (fields "factSources" and "notes").\n');
    });
}
